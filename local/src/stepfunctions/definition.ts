import aslValidator from 'asl-validator';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { isRecord } from '../template/template-types.ts';
import { parseTaskResource, SUPPORTED_RESOURCES, type TaskResource } from './task-resources.ts';

/**
 * From an Amazon States Language definition to what aws-local-stepfunctions runs.
 *
 * The library runs the states, paths, Choice rules, Retry and Catch; the local service runs every
 * Task itself (a local handler per state name) and every Wait (as a local task), because it owns
 * what the library has no notion of: task tokens, heartbeats, the real service integrations and
 * the time scale. So the definition handed to the library ("runnable") differs from the one
 * written only where the library must not act on its own:
 *
 * - Task and Wait states get a `Parameters` wrapper `{ input, timeoutSeconds?, heartbeatSeconds?,
 *   seconds?, timestamp? }`, so the library evaluates the `*Path` fields against the state's
 *   effective input exactly as it evaluates `Parameters`, and the local handler receives them.
 * - Task `TimeoutSeconds` becomes a ceiling the library never reaches (the library's own default
 *   is 60 s; AWS has none); the handler enforces the real timeout and heartbeat. The execution's
 *   `TimeoutSeconds` is capped at that ceiling too (Node's longest timer, 24.8 days).
 * - With a time scale s < 1, Retry `IntervalSeconds`/`MaxDelaySeconds` and the execution's
 *   `TimeoutSeconds` are multiplied by s, so the library's own backoff, jitter and cap apply to
 *   the scaled numbers.
 * - `"key.$": "$$.State.Name"` becomes `"key": "<the state's name>"` (the library has no
 *   `$$.State`; `$$.State.EnteredTime` comes from the Context Object the service builds).
 * - `States.MathRandom(start, end)` becomes `States.MathRandom(start, end - 1)`: AWS returns a
 *   number from start inclusive to end exclusive, the library includes the end. (The saga picks
 *   an index shard with `States.MathRandom(0, 16)`; locally one write in 17 went to a shard no
 *   list reads.)
 */

export interface TaskPlan {
  stateName: string;
  resource: TaskResource;
  /** As written; the service scales them. */
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

export interface WaitPlan {
  stateName: string;
  /** `Seconds` or `Timestamp` as written; `*Path` values arrive with the input. */
  seconds?: number;
  timestamp?: string;
}

export interface StateMachinePlan {
  /** Every state's `Type` as written, by name, nested branches included (names are unique). */
  stateTypes: ReadonlyMap<string, string>;
  /** The Parallel or Map state each nested state runs in. */
  stateParents: ReadonlyMap<string, string>;
  tasks: ReadonlyMap<string, TaskPlan>;
  waits: ReadonlyMap<string, WaitPlan>;
  /** The definition aws-local-stepfunctions runs. */
  runnable: StateMachineDefinition;
}

/** What a local Task or Wait handler receives from the library (see the wrapper above). */
export interface WrappedInput {
  input: unknown;
  timeoutSeconds?: unknown;
  heartbeatSeconds?: unknown;
  seconds?: unknown;
  timestamp?: unknown;
}

/** The longest timer Node can set (2^31 - 1 ms), in whole seconds: "no timeout" for the library. */
const LIBRARY_TIMEOUT_CEILING_SECONDS = 2_147_483;
/** Resource of a Wait state rewritten as a local task; the library never calls it. */
const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::local:wait';

export class InvalidDefinitionError extends Error {
  override name = 'InvalidDefinitionError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

type State = Record<string, unknown>;
type States = Record<string, State>;

export function parseDefinition(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidDefinitionError([`The definition is not JSON: ${(error as Error).message}`]);
  }
  if (!isRecord(parsed)) throw new InvalidDefinitionError(['The definition is not a JSON object']);
  return parsed;
}

/**
 * Everything wrong with a definition: what asl-validator finds (the same rules AWS applies at
 * CreateStateMachine), then what the local service cannot run. Empty when it is fine.
 */
export function definitionProblems(definition: Record<string, unknown>): string[] {
  // asl-validator writes QueryLanguage into every state it reads: give it a copy.
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  if (!result.isValid) return result.errorsText('\n').split('\n');
  return unsupportedFeatures(definition);
}

function unsupportedFeatures(definition: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (definition.QueryLanguage === 'JSONata') problems.push('QueryLanguage JSONata: the local Step Functions runs JSONPath only');
  forEachState(definition, (name, state) => {
    const where = `State "${name}"`;
    if (state.QueryLanguage === 'JSONata' && definition.QueryLanguage !== 'JSONata') {
      problems.push(`${where}: QueryLanguage JSONata: the local Step Functions runs JSONPath only`);
    }
    if ('Assign' in state) problems.push(`${where}: variables (Assign) are not supported locally`);
    const own = JSON.stringify(withoutChildren(state));
    if (own.includes('$$.State.RetryCount')) problems.push(`${where}: $$.State.RetryCount is not available locally`);
    const stateNameUses = own.split('$$.State.Name').length - 1;
    if (stateNameUses > PAYLOAD_TEMPLATES.reduce((count, field) => count + exactStateNameReferences(state[field]), 0)) {
      problems.push(`${where}: $$.State.Name is available locally only as a whole path ("key.$": "$$.State.Name") in ${PAYLOAD_TEMPLATES.join(', ')}`);
    }
    if (state.Type === 'Task') {
      const resource = parseTaskResource(state.Resource);
      if ('unsupported' in resource) {
        problems.push(`${where}: ${resource.unsupported}. Supported: ${SUPPORTED_RESOURCES.join(', ')}`);
      } else if (resource.kind === 'lambda:invoke' && resource.waitForTaskToken && !referencesTaskToken(state.Parameters)) {
        problems.push(`${where}: a .waitForTaskToken task must pass "$$.Task.Token" in its Parameters`);
      }
    }
    if (state.Type === 'Map') {
      const processor = isRecord(state.ItemProcessor) ? state.ItemProcessor : {};
      const config = isRecord(processor.ProcessorConfig) ? processor.ProcessorConfig : {};
      if (config.Mode === 'DISTRIBUTED' || 'ItemReader' in state || 'ResultWriter' in state || 'ItemBatcher' in state) {
        problems.push(`${where}: a distributed Map is not supported locally (inline Map is)`);
      }
    }
  });
  return problems;
}

/** The fields whose `"key.$"` paths may use the Context Object. */
const PAYLOAD_TEMPLATES = ['Parameters', 'ResultSelector', 'ItemSelector'] as const;

function withoutChildren(state: State): State {
  const { Branches: _branches, ItemProcessor: _processor, Iterator: _iterator, ...own } = state;
  return own;
}

function exactStateNameReferences(template: unknown): number {
  if (Array.isArray(template)) return template.reduce((count: number, item) => count + exactStateNameReferences(item), 0);
  if (!isRecord(template)) return 0;
  return Object.entries(template).reduce(
    (count, [key, value]) => count + (key.endsWith('.$') && value === '$$.State.Name' ? 1 : exactStateNameReferences(value)),
    0,
  );
}

/**
 * The library has no `$$.State`: `EnteredTime` comes from a getter on the Context Object (see the
 * service), and `$$.State.Name`, fixed for each state, is written into the runnable copy.
 */
function withStateName(template: unknown, stateName: string): unknown {
  if (Array.isArray(template)) return template.map((item) => withStateName(item, stateName));
  if (!isRecord(template)) return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) =>
      key.endsWith('.$') && value === '$$.State.Name' ? [key.slice(0, -2), stateName] : [key, withStateName(value, stateName)],
    ),
  );
}

/** Every intrinsic expression (`"key.$"` strings) in a payload template, MathRandom's end made inclusive. */
function withExclusiveMathRandomEnd(template: unknown): unknown {
  if (Array.isArray(template)) return template.map(withExclusiveMathRandomEnd);
  if (!isRecord(template)) return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) =>
      key.endsWith('.$') && typeof value === 'string' ? [key, lastMathRandomIncluded(value)] : [key, withExclusiveMathRandomEnd(value)],
    ),
  );
}

const MATH_RANDOM = 'States.MathRandom(';

/**
 * `States.MathRandom(a, b[, seed])` → `States.MathRandom(a, b - 1[, seed])` wherever it occurs,
 * nested ones included: an integer literal `b` is decremented, any other argument (a path, another
 * intrinsic) is wrapped in `States.MathAdd(b, -1)`.
 */
export function lastMathRandomIncluded(expression: string): string {
  let result = '';
  let rest = expression;
  for (let at = rest.indexOf(MATH_RANDOM); at !== -1; at = rest.indexOf(MATH_RANDOM)) {
    result += rest.slice(0, at + MATH_RANDOM.length);
    rest = rest.slice(at + MATH_RANDOM.length);
    const args = splitArguments(rest);
    if (args === undefined || args.values.length < 2) continue;
    const values = args.values.map((value) => lastMathRandomIncluded(value));
    const end = values[1]!.trim();
    values[1] = ` ${/^-?\d+$/.test(end) ? String(Number(end) - 1) : `States.MathAdd(${end}, -1)`}`;
    result += `${values.join(',')})`;
    rest = rest.slice(args.length);
  }
  return result + rest;
}

/** The arguments of a call whose `(` was just read, split at top-level commas, and their length with the `)`. */
function splitArguments(text: string): { values: string[]; length: number } | undefined {
  const values: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '\\') index += 1;
      else if (char === "'") quoted = false;
    } else if (char === "'") quoted = true;
    else if (char === '(') depth += 1;
    else if (char === ')' && depth > 0) depth -= 1;
    else if ((char === ',' || char === ')') && depth === 0) {
      values.push(text.slice(start, index));
      start = index + 1;
      if (char === ')') return { values, length: index + 1 };
    }
  }
  return undefined;
}

function referencesTaskToken(template: unknown): boolean {
  if (Array.isArray(template)) return template.some(referencesTaskToken);
  if (!isRecord(template)) return false;
  return Object.entries(template).some(([key, value]) =>
    key.endsWith('.$') && typeof value === 'string' ? value.includes('$$.Task.Token') : referencesTaskToken(value),
  );
}

/** Calls `visit` for every state, depth first, including Parallel branches and Map processors. */
export function forEachState(machine: Record<string, unknown>, visit: (name: string, state: State) => void): void {
  const states = isRecord(machine.States) ? (machine.States as States) : {};
  for (const [name, state] of Object.entries(states)) {
    if (!isRecord(state)) continue;
    visit(name, state);
    for (const child of childMachines(state)) forEachState(child, visit);
  }
}

function childMachines(state: State): Array<Record<string, unknown>> {
  if (state.Type === 'Parallel' && Array.isArray(state.Branches)) return state.Branches.filter(isRecord);
  if (state.Type === 'Map') return [state.ItemProcessor, state.Iterator].filter(isRecord);
  return [];
}

/** Builds the plan and the runnable copy; `definition` must have passed `definitionProblems`. */
export function planStateMachine(definition: Record<string, unknown>, timeScale = 1): StateMachinePlan {
  const stateTypes = new Map<string, string>();
  const stateParents = new Map<string, string>();
  const tasks = new Map<string, TaskPlan>();
  const waits = new Map<string, WaitPlan>();

  const runnableMachine = (machine: Record<string, unknown>, parent?: string): Record<string, unknown> => {
    const states: States = {};
    for (const [name, written] of Object.entries(machine.States as States)) {
      stateTypes.set(name, String(written.Type));
      if (parent !== undefined) stateParents.set(name, parent);
      const state: State = { ...written };
      for (const field of PAYLOAD_TEMPLATES) {
        if (field in state) state[field] = withExclusiveMathRandomEnd(withStateName(state[field], name));
      }
      let copy: State = { ...state };
      if (state.Type === 'Task') {
        const resource = parseTaskResource(state.Resource);
        if ('unsupported' in resource) throw new InvalidDefinitionError([`State "${name}": ${resource.unsupported}`]);
        tasks.set(name, {
          stateName: name,
          resource,
          timeoutSeconds: numberOrUndefined(state.TimeoutSeconds),
          heartbeatSeconds: numberOrUndefined(state.HeartbeatSeconds),
        });
        copy = runnableTask(state);
      } else if (state.Type === 'Wait') {
        waits.set(name, { stateName: name, seconds: numberOrUndefined(state.Seconds), timestamp: stringOrUndefined(state.Timestamp) });
        copy = runnableWait(state);
      } else if (state.Type === 'Parallel') {
        copy.Branches = (state.Branches as Array<Record<string, unknown>>).map((branch) => runnableMachine(branch, name));
      } else if (state.Type === 'Map') {
        if (isRecord(state.ItemProcessor)) copy.ItemProcessor = runnableMachine(state.ItemProcessor, name);
        if (isRecord(state.Iterator)) copy.Iterator = runnableMachine(state.Iterator, name);
      }
      if (Array.isArray(copy.Retry)) copy.Retry = copy.Retry.map((retrier) => scaleRetrier(retrier as Record<string, unknown>, timeScale));
      states[name] = copy;
    }
    return { ...machine, States: states };
  };

  const runnable = runnableMachine(definition);
  if (typeof definition.TimeoutSeconds === 'number') {
    // The library sets one timer for it: past Node's longest timer it would fire at once.
    runnable.TimeoutSeconds = Math.min(definition.TimeoutSeconds * timeScale, LIBRARY_TIMEOUT_CEILING_SECONDS);
  }
  return { stateTypes, stateParents, tasks, waits, runnable: runnable as unknown as StateMachineDefinition };
}

function runnableTask(state: State): State {
  const { TimeoutSecondsPath, HeartbeatSeconds: _heartbeat, HeartbeatSecondsPath, Credentials: _credentials, ...rest } = state;
  const wrapped: Record<string, unknown> = 'Parameters' in state ? { input: state.Parameters } : { 'input.$': '$' };
  if (typeof TimeoutSecondsPath === 'string') wrapped['timeoutSeconds.$'] = TimeoutSecondsPath;
  if (typeof HeartbeatSecondsPath === 'string') wrapped['heartbeatSeconds.$'] = HeartbeatSecondsPath;
  return { ...rest, Parameters: wrapped, TimeoutSeconds: LIBRARY_TIMEOUT_CEILING_SECONDS };
}

function runnableWait(state: State): State {
  const { Seconds: _seconds, Timestamp: _timestamp, SecondsPath, TimestampPath, ...rest } = state;
  const wrapped: Record<string, unknown> = { 'input.$': '$' };
  if (typeof SecondsPath === 'string') wrapped['seconds.$'] = SecondsPath;
  if (typeof TimestampPath === 'string') wrapped['timestamp.$'] = TimestampPath;
  return { ...rest, Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, Parameters: wrapped, TimeoutSeconds: LIBRARY_TIMEOUT_CEILING_SECONDS };
}

/**
 * A retrier on scaled time: the library then waits IntervalSeconds × s × BackoffRate^n, capped
 * at MaxDelaySeconds × s, with full jitter when asked: the template's schedule, s times shorter.
 */
export function scaleRetrier(retrier: Record<string, unknown>, timeScale: number): Record<string, unknown> {
  if (timeScale === 1) return retrier;
  const interval = typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1;
  return {
    ...retrier,
    IntervalSeconds: interval * timeScale,
    ...(typeof retrier.MaxDelaySeconds === 'number' && { MaxDelaySeconds: retrier.MaxDelaySeconds * timeScale }),
  };
}

const numberOrUndefined = (value: unknown) => (typeof value === 'number' ? value : undefined);
const stringOrUndefined = (value: unknown) => (typeof value === 'string' ? value : undefined);
