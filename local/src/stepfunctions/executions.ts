import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { HistoryEvent } from './history.ts';
import type { CurrentState, ExecutionStatus, LocalStepFunctions } from './local-step-functions.ts';

/**
 * What happened to an order in the state machines, for a CLI: executions are named after the
 * order id, so every execution of that name (any state machine) is reported with its status,
 * the state(s) it is in now and a one-line-per-event timeline. In the local cloud's process, ask
 * the service (`describeExecutionsForOrder`); from another process, ask its Step Functions
 * endpoint (`fetchExecutionsForOrder`). Either report prints with `formatExecutionReports`.
 */

export interface ExecutionReport {
  stateMachineName: string;
  executionArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Empty once the execution has closed. */
  currentStates: CurrentState[];
  timeline: TimelineEntry[];
}

export interface TimelineEntry {
  id: number;
  timestamp: Date;
  /** Since the execution started. */
  elapsedMs: number;
  type: string;
  /** The state the event belongs to, when there is one. */
  state?: string;
  /** A short, printable summary (resource, error, output). */
  detail?: string;
}

export function describeExecutionsForOrder(service: LocalStepFunctions, orderId: string): ExecutionReport[] {
  return service.executionsNamed(orderId).map((execution) => {
    const events = service.getExecutionHistory({ executionArn: execution.executionArn });
    return report(service.describeStateMachine(execution.stateMachineArn).name, execution, events, () => service.currentStates(execution.executionArn));
  });
}

type Described = Pick<ExecutionReport, 'executionArn' | 'name' | 'status' | 'startDate' | 'stopDate' | 'input' | 'output' | 'error' | 'cause'>;

function report(stateMachineName: string, execution: Described, events: HistoryEvent[], currentStates: () => CurrentState[]): ExecutionReport {
  return {
    stateMachineName,
    executionArn: execution.executionArn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
    ...(execution.stopDate !== undefined && { stopDate: execution.stopDate }),
    input: execution.input,
    ...(execution.output !== undefined && { output: execution.output }),
    ...(execution.error !== undefined && { error: execution.error }),
    ...(execution.cause !== undefined && { cause: execution.cause }),
    currentStates: execution.status === 'RUNNING' ? currentStates() : [],
    timeline: timeline(events, execution.startDate),
  };
}

/** The same report through the Step Functions API (the local endpoint), for a separate CLI process. */
export async function fetchExecutionsForOrder(client: SFNClient, orderId: string): Promise<ExecutionReport[]> {
  const reports: ExecutionReport[] = [];
  for (const machine of await all((nextToken) => client.send(new ListStateMachinesCommand({ nextToken })), 'stateMachines')) {
    // The saga's executions are named after the order; the child workflows it starts get a
    // generated name, so they are found by the order id in their input.
    const listed = await all((nextToken) => client.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, nextToken })), 'executions');
    for (const { executionArn, name } of listed.reverse()) {
      const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
      if (name !== orderId && !inputNamesOrder(execution.input, orderId)) continue;
      const sdkEvents = await all((nextToken) => client.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 })), 'events');
      const events = sdkEvents as unknown as HistoryEvent[];
      const described: Described = {
        executionArn: executionArn ?? '',
        name: execution.name ?? orderId,
        status: execution.status as ExecutionStatus,
        startDate: execution.startDate ?? new Date(0),
        stopDate: execution.stopDate,
        input: execution.input ?? '',
        output: execution.output,
        error: execution.error,
        cause: execution.cause,
      };
      reports.push(report(machine.name ?? '', described, events, () => currentStatesFromHistory(events)));
    }
  }
  return reports.sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
}

function inputNamesOrder(input: string | undefined, orderId: string): boolean {
  try {
    return (JSON.parse(input ?? '{}') as { orderId?: unknown }).orderId === orderId;
  } catch {
    return false;
  }
}

async function all<K extends string, T>(page: (nextToken: string | undefined) => Promise<{ [key in K]?: T[] } & { nextToken?: string }>, member: K): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const result = await page(nextToken);
    items.push(...(result[member] ?? []));
    nextToken = result.nextToken;
  } while (nextToken !== undefined);
  return items;
}

/** The states entered and not left, replayed from the history (what the service knows directly). */
export function currentStatesFromHistory(events: HistoryEvent[]): CurrentState[] {
  const open = new Map<string, CurrentState>();
  let lastTask: CurrentState | undefined;
  for (const event of events) {
    const name = detailsOf(event).name;
    const kind = /^(\w+)State(Entered|Exited|Failed|Aborted)$/.exec(event.type);
    if (kind !== null && typeof name === 'string') {
      if (kind[2] === 'Entered') {
        const state = { name, type: kind[1] as string, enteredAt: event.timestamp, waitingForTaskToken: false };
        open.set(name, state);
        if (state.type === 'Task') lastTask = state;
      } else open.delete(name);
    }
    if (lastTask !== undefined && open.get(lastTask.name) === lastTask) {
      if (event.type === 'TaskSubmitted') lastTask.waitingForTaskToken = true;
      if (event.type === 'TaskSucceeded' || event.type === 'TaskFailed' || event.type === 'TaskTimedOut') lastTask.waitingForTaskToken = false;
    }
  }
  return [...open.values()];
}

const DETAIL_LENGTH = 160;

function timeline(events: HistoryEvent[], startDate: Date): TimelineEntry[] {
  let taskState: string | undefined;
  return events.map((event) => {
    const details = detailsOf(event);
    let state: string | undefined;
    if (typeof details.name === 'string') state = details.name;
    if (event.type === 'TaskStateEntered') taskState = state;
    if (state === undefined && (event.type.startsWith('Task') || event.type.startsWith('LambdaFunction'))) state = taskState;
    const detail = summary(event.type, details);
    return {
      id: event.id,
      timestamp: event.timestamp,
      elapsedMs: event.timestamp.getTime() - startDate.getTime(),
      type: event.type,
      ...(state !== undefined && { state }),
      ...(detail !== undefined && { detail }),
    };
  });
}

function detailsOf(event: HistoryEvent): Record<string, unknown> {
  const key = Object.keys(event).find((name) => name.endsWith('EventDetails'));
  const details = key === undefined ? undefined : event[key];
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {};
}

function summary(type: string, details: Record<string, unknown>): string | undefined {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const failure = () => [text(details.error), text(details.cause)].filter(Boolean).join(': ') || undefined;
  switch (type) {
    case 'TaskScheduled': {
      const target = taskTarget(text(details.parameters));
      return `${text(details.resourceType)}:${text(details.resource)}${target ? ` ${target}` : ''}`;
    }
    case 'LambdaFunctionScheduled':
      return text(details.resource);
    case 'TaskSubmitted':
      return 'waiting for a task token';
    case 'TaskSucceeded':
    case 'LambdaFunctionSucceeded':
    case 'ExecutionSucceeded':
      return shorten(text(details.output));
    case 'TaskFailed':
    case 'TaskTimedOut':
    case 'LambdaFunctionFailed':
    case 'LambdaFunctionTimedOut':
    case 'ExecutionFailed':
    case 'ExecutionAborted':
    case 'ExecutionTimedOut':
      return shorten(failure());
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return `iteration ${String(details.index)}`;
    default:
      return undefined;
  }
}

/** The function or table a task talks to, from its parameters. */
function taskTarget(parameters: string | undefined): string | undefined {
  if (parameters === undefined) return undefined;
  try {
    const parsed = JSON.parse(parameters) as Record<string, unknown>;
    const name = parsed.FunctionName ?? parsed.TableName;
    return typeof name === 'string' ? name.split(':').at(-1) : undefined;
  } catch {
    return undefined;
  }
}

function shorten(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.replace(/\s+/g, ' ');
  return line.length <= DETAIL_LENGTH ? line : `${line.slice(0, DETAIL_LENGTH)}…`;
}

/** A plain-text report, one block per execution. */
export function formatExecutionReports(orderId: string, reports: ExecutionReport[], { now = new Date() }: { now?: Date } = {}): string {
  if (reports.length === 0) return `No state machine execution is named ${orderId}.`;
  return reports.map((report) => formatReport(report, now)).join('\n\n');
}

function formatReport(report: ExecutionReport, now: Date): string {
  const lines: string[] = [];
  const ended = report.stopDate === undefined ? `${seconds(now.getTime() - report.startDate.getTime())} ago` : `took ${seconds(report.stopDate.getTime() - report.startDate.getTime())}`;
  lines.push(`${report.stateMachineName} / ${report.name}: ${report.status} (started ${report.startDate.toISOString()}, ${ended})`);
  for (const state of report.currentStates) {
    const waiting = state.waitingForTaskToken ? ', waiting for a task token' : '';
    lines.push(`  in ${state.name} (${state.type}${waiting}) for ${seconds(now.getTime() - state.enteredAt.getTime())}`);
  }
  if (report.error !== undefined || report.cause !== undefined) {
    lines.push(`  error: ${[report.error, shorten(report.cause)].filter(Boolean).join(': ')}`);
  }
  lines.push(`  input: ${shorten(report.input)}`);
  if (report.output !== undefined) lines.push(`  output: ${shorten(report.output)}`);
  const typeWidth = Math.max(...report.timeline.map((entry) => entry.type.length), 0);
  for (const entry of report.timeline) {
    const columns = [
      String(entry.id).padStart(4),
      `+${seconds(entry.elapsedMs, 3)}`.padStart(10),
      entry.type.padEnd(typeWidth),
      [entry.state, entry.detail].filter(Boolean).join('  '),
    ];
    lines.push(`  ${columns.join('  ')}`.trimEnd());
  }
  return lines.join('\n');
}

function seconds(ms: number, digits = 1): string {
  return `${(Math.max(0, ms) / 1000).toFixed(digits)} s`;
}
