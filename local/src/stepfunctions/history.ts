import { executionFailure } from './errors.ts';

/**
 * An execution's history in the shape of `GetExecutionHistory`: `{ id, previousEventId,
 * timestamp, type, <type>EventDetails }`, built from two sources:
 *
 * - aws-local-stepfunctions' event log (states entered and exited, branches, iterations, how the
 *   execution ended), read asynchronously as the library produces it;
 * - the local task handlers (`TaskScheduled`, `TaskStarted`, `TaskSubmitted`, `TaskSucceeded`,
 *   `TaskFailed`, `TaskTimedOut`), recorded when they happen.
 *
 * The library calls a task handler synchronously right after it logs the state's entry (or its
 * retry), but its log is read a few microtasks later. So each handler call opens a task log that
 * buffers its events until the entry it belongs to has been read (the first unclaimed task log
 * of that state name, in call order), then writes them in place, and writes live from then on.
 *
 * The library forwards the events of Parallel branches and Map iterations to the execution's
 * log asynchronously, and drops those that arrive after the execution has ended. So when a
 * Parallel or Map state exits, its nested states still open here are exited first, and their
 * late events, if any arrive, are ignored.
 */

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  /** The one `<type>EventDetails` member, e.g. `taskScheduledEventDetails`, if the type has one. */
  [details: string]: unknown;
}

/** One event of aws-local-stepfunctions' `eventLogs`, as far as this module reads it. */
export interface LibraryEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string; type: string };
  index?: number;
  input?: unknown;
  output?: unknown;
  Error?: unknown;
  Cause?: unknown;
}

export interface ActiveState {
  name: string;
  type: string;
  enteredAt: Date;
}

/** What StopExecution said, for the `ExecutionAborted` event. */
export interface ExecutionEnding {
  error?: string;
  cause?: string;
}

const ABORTABLE_TYPES = new Set(['Task', 'Wait', 'Parallel', 'Map']);
const truncatedNo = { truncated: false };

export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];
  /** Task logs opened by handler calls and not yet matched with their state entry, by state name. */
  private readonly unclaimed = new Map<string, TaskLog[]>();
  /** The task log of each active task state (`name#mapIndex`). */
  private readonly claimed = new Map<string, TaskLog>();
  private readonly active = new Map<string, ActiveState>();
  private readonly startedComposites = new Set<string>();

  constructor(
    private readonly machine: {
      /** Each state's `Type` as written (the library runs Wait states as tasks). */
      stateTypes: ReadonlyMap<string, string>;
      /** The Parallel or Map state each nested state runs in. */
      stateParents: ReadonlyMap<string, string>;
      roleArn: string;
    },
    private readonly ending: () => ExecutionEnding,
  ) {}

  /** Called by a task handler, synchronously, when the library calls it. */
  openTaskLog(stateName: string): TaskLog {
    const log = new TaskLog(this);
    const queue = this.unclaimed.get(stateName) ?? [];
    queue.push(log);
    this.unclaimed.set(stateName, queue);
    return log;
  }

  /** States entered and not yet left, in entry order. */
  activeStates(): ActiveState[] {
    return [...this.active.values()];
  }

  append(type: string, details?: [key: string, value: Record<string, unknown>], timestamp = Date.now()): void {
    const id = this.events.length + 1;
    // Events are read a little after they happen, nested ones later still: keep time monotonic.
    const previous = this.events.at(-1)?.timestamp.getTime() ?? 0;
    const event: HistoryEvent = { id, previousEventId: id - 1, timestamp: new Date(Math.max(previous, timestamp)), type };
    if (details !== undefined) event[details[0]] = details[1];
    this.events.push(event);
  }

  onLibraryEvent(event: LibraryEvent): void {
    const at = event.timestamp;
    switch (event.type) {
      case 'ExecutionStarted':
        return this.append('ExecutionStarted', ['executionStartedEventDetails', { input: json(event.input), inputDetails: truncatedNo, roleArn: this.machine.roleArn }], at);
      case 'ExecutionSucceeded':
        return this.append('ExecutionSucceeded', ['executionSucceededEventDetails', { output: json(event.output), outputDetails: truncatedNo }], at);
      case 'ExecutionFailed':
        return this.append('ExecutionFailed', ['executionFailedEventDetails', errorDetails(event.Error, event.Cause)], at);
      case 'ExecutionAborted':
        this.abortActiveStates(at);
        return this.append('ExecutionAborted', ['executionAbortedEventDetails', withoutUndefined({ ...this.ending() })], at);
      case 'ExecutionTimeout':
        this.abortActiveStates(at);
        return this.append('ExecutionTimedOut', ['executionTimedOutEventDetails', { error: 'States.Timeout' }], at);
      case 'StateEntered':
        return this.stateEntered(event, at);
      case 'StateRetried':
        // AWS has no event for it: the retry shows as the next TaskScheduled.
        return this.taskAttemptBegins(event, at);
      case 'StateExited':
        return this.stateExited(event, at);
      case 'StateFailed':
        return this.stateFailed(event, at);
      case 'ParallelBranchStarted':
        return this.compositeStarted(event, 'ParallelStateStarted', undefined, at);
      case 'MapIterationStarted':
        this.compositeStarted(event, 'MapStateStarted', ['mapStateStartedEventDetails', {}], at);
        return this.iteration(event, 'mapIterationStartedEventDetails', at);
      case 'MapIterationSucceeded':
        return this.iteration(event, 'mapIterationSucceededEventDetails', at);
      case 'MapIterationFailed':
        return this.iteration(event, 'mapIterationFailedEventDetails', at);
      default:
        // StateCaught, ParallelBranchSucceeded/Failed: AWS records nothing for these.
        return;
    }
  }

  private stateEntered(event: LibraryEvent, at: number): void {
    const state = event.state;
    if (state === undefined) return;
    const type = this.typeOf(state.name);
    this.active.set(activeKey(event), { name: state.name, type, enteredAt: new Date(at) });
    this.append(`${type}StateEntered`, ['stateEnteredEventDetails', { name: state.name, input: json(state.input), inputDetails: truncatedNo }], at);
    this.taskAttemptBegins(event, at);
  }

  /** A Task state's attempt begins (entry or retry): its handler has already been called. */
  private taskAttemptBegins(event: LibraryEvent, at: number): void {
    const state = event.state;
    if (state === undefined || this.typeOf(state.name) !== 'Task') return;
    const key = activeKey(event);
    const log = this.unclaimed.get(state.name)?.shift();
    // No log: the library failed the state before calling the handler (a Parameters path, …).
    if (log === undefined) return;
    this.claimed.set(key, log);
    log.claim();
  }

  /**
   * A failed state stays open: the library may still retry it (StateRetried) or catch the error
   * (StateExited follows). A failed Parallel or Map is over, with whatever ran inside it.
   */
  private stateFailed(event: LibraryEvent, at: number): void {
    const state = event.state;
    if (state === undefined) return;
    const key = activeKey(event);
    this.release(key);
    const type = this.typeOf(state.name);
    if (type !== 'Parallel' && type !== 'Map') return;
    for (const [nestedKey, nested] of this.active) {
      if (this.isInside(nested.name, state.name)) this.active.delete(nestedKey);
    }
    this.startedComposites.delete(key);
    this.append(`${type}StateFailed`, undefined, at);
  }

  private stateExited(event: LibraryEvent, at: number): void {
    const state = event.state;
    if (state === undefined) return;
    const key = activeKey(event);
    // Already closed below, when its Parallel or Map exited first.
    if (!this.active.has(key)) return;
    this.exit(key, state.name, state.output, at);
  }

  private exit(key: string, name: string, output: unknown, at: number, { known = true } = {}): void {
    const type = this.typeOf(name);
    this.active.delete(key);
    this.release(key);
    const composite = type === 'Parallel' || type === 'Map';
    if (composite) {
      for (const [nestedKey, nested] of [...this.active]) {
        if (this.active.has(nestedKey) && this.machine.stateParents.get(nested.name) === name) this.exit(nestedKey, nested.name, undefined, at, { known: false });
      }
      this.startedComposites.delete(key);
      this.append(`${type}StateSucceeded`, undefined, at);
    }
    // A nested state closed on its parent's behalf has its name but not its output.
    const details = known ? { name, output: json(output), outputDetails: truncatedNo } : { name };
    this.append(`${type}StateExited`, ['stateExitedEventDetails', details], at);
  }

  private release(key: string): void {
    this.claimed.get(key)?.release();
    this.claimed.delete(key);
  }

  private isInside(stateName: string, composite: string): boolean {
    for (let parent = this.machine.stateParents.get(stateName); parent !== undefined; parent = this.machine.stateParents.get(parent)) {
      if (parent === composite) return true;
    }
    return false;
  }

  private compositeStarted(event: LibraryEvent, type: string, details: [string, Record<string, unknown>] | undefined, at: number): void {
    const key = `${event.parentState?.name ?? ''}#`;
    if (this.startedComposites.has(key) || !this.isActive(event.parentState?.name)) return;
    this.startedComposites.add(key);
    this.append(type, details, at);
  }

  private iteration(event: LibraryEvent, detailsKey: string, at: number): void {
    // Late, after its Map exited: dropped, like the events the library itself drops.
    if (!this.isActive(event.parentState?.name)) return;
    const type = detailsKey.replace(/^map/, 'Map').replace(/EventDetails$/, '');
    this.append(type, [detailsKey, { name: event.parentState?.name, index: event.index }], at);
  }

  private isActive(stateName: string | undefined): boolean {
    return [...this.active.values()].some((state) => state.name === stateName);
  }

  private abortActiveStates(at: number): void {
    for (const state of this.active.values()) {
      if (ABORTABLE_TYPES.has(state.type)) this.append(`${state.type}StateAborted`, undefined, at);
    }
    this.active.clear();
  }

  private typeOf(stateName: string): string {
    return this.machine.stateTypes.get(stateName) ?? 'Task';
  }
}

/** The events of one task attempt, written in place once the library's log reaches its entry. */
export class TaskLog {
  private buffered: Array<() => void> = [];
  private claimed = false;

  constructor(private readonly history: ExecutionHistory) {}

  record(type: string, details: [key: string, value: Record<string, unknown>]): void {
    const timestamp = Date.now();
    const write = () => this.history.append(type, details, timestamp);
    if (this.claimed) write();
    else this.buffered.push(write);
  }

  /** @internal */
  claim(): void {
    this.claimed = true;
    for (const write of this.buffered.splice(0)) write();
  }

  /** @internal The state has been left: anything still buffered belongs before that. */
  release(): void {
    this.claim();
  }
}

function activeKey(event: LibraryEvent): string {
  return `${event.state?.name ?? ''}#${event.index ?? ''}`;
}

export function json(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

function errorDetails(error: unknown, cause: unknown): Record<string, unknown> {
  return executionFailure(typeof error === 'string' ? error : 'FailStateError', typeof cause === 'string' ? cause : json(cause));
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
