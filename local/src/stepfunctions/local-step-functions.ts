import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { randomUUID } from 'node:crypto';
import { checkTimeScale } from '../core/time-scale.ts';
import { Attempt } from './attempt.ts';
import { definitionProblems, InvalidDefinitionError, parseDefinition, planStateMachine, type StateMachinePlan, type TaskPlan, type WaitPlan, type WrappedInput } from './definition.ts';
import { executionFailure, runtimeError, SfnError, StateError } from './errors.ts';
import { type ActiveState, ExecutionHistory, type HistoryEvent, json, type LibraryEvent } from './history.ts';
import { callDynamoDb, type InvokeLambda, invokeFunction, invokeFunctionArn } from './integrations.ts';
import { prepareStatesTimeout, statesTimeout } from './states-timeout.ts';
import { historyResource, taskResourceArn } from './task-resources.ts';
import { TASK_TOKEN_PLACEHOLDER, TaskTokens, withTaskToken } from './task-tokens.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../core/aws-account.ts';
import { type AccessDenied, AccessDeniedError } from '../iam/access-denied.ts';

/**
 * The local Step Functions service: state machines, Standard-workflow executions and task
 * tokens, with the semantics of the Step Functions API (StartExecution idempotency, statuses,
 * history, SendTask* errors). aws-local-stepfunctions interprets the states; every Task and Wait
 * runs here (see definition.ts for why), against the Lambda and DynamoDB the caller provides.
 */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
export type StateMachineType = 'STANDARD' | 'EXPRESS';

export interface StepFunctionsLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface LocalStepFunctionsOptions {
  invokeLambda: InvokeLambda;
  /** A low-level client on DynamoDB Local; needed only by state machines with DynamoDB tasks. */
  dynamoDb?: DynamoDBClient;
  region?: string;
  accountId?: string;
  /**
   * 0 < timeScale ≤ 1 (default 1): Wait states, Retry intervals, task TimeoutSeconds and
   * HeartbeatSeconds, and the execution's TimeoutSeconds all last timeScale times as long.
   */
  timeScale?: number;
  log?: StepFunctionsLog;
  /**
   * IAM (iam/README.md): whether the state machine's role lets a Task call its service, asked
   * before each attempt with the Task's `Resource` and resolved `Parameters`. A denial fails
   * the attempt with the service's AccessDeniedException, as Step Functions reports it.
   */
  authorizeTask?: (machine: StateMachineDescription, taskResource: string, parameters: unknown) => AccessDenied | undefined;
}

export interface CreateStateMachineInput {
  /** The template resource it comes from, for messages and the executions CLI. */
  logicalId?: string;
  name: string;
  /** Defaults to `arn:aws:states:<region>:<account>:stateMachine:<name>`. */
  arn?: string;
  /** The ASL JSON, DefinitionSubstitutions already applied. */
  definition: string;
  roleArn?: string;
  type?: StateMachineType;
}

export interface StateMachineDescription {
  stateMachineArn: string;
  name: string;
  logicalId?: string;
  status: 'ACTIVE';
  definition: string;
  roleArn: string;
  type: StateMachineType;
  creationDate: Date;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
}

export interface ExecutionDescription extends ExecutionListItem {
  input: string;
  inputDetails: { included: true };
  output?: string;
  outputDetails?: { included: true };
  error?: string;
  cause?: string;
}

export interface CurrentState extends ActiveState {
  /** A `.waitForTaskToken` task waiting for SendTaskSuccess/SendTaskFailure. */
  waitingForTaskToken: boolean;
}

interface MachineRecord {
  description: StateMachineDescription;
  plan: StateMachinePlan;
  library: StateMachine;
  executions: Map<string, Execution>;
}

interface Execution {
  machine: MachineRecord;
  arn: string;
  name: string;
  input: string;
  startDate: Date;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  history: ExecutionHistory;
  /** Task and Wait handlers still running: ended when the execution closes. */
  attempts: Set<Attempt>;
  abort: () => void;
  /** Settles once the execution is closed and its history complete. */
  done: Promise<void>;
}

/** Execution names: 1 to 80 characters, none of these (StartExecution's `name` rules). */
const INVALID_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
const MAX_NAME_LENGTH = 80;

export class LocalStepFunctions {
  private readonly machines = new Map<string, MachineRecord>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new TaskTokens();
  private readonly region: string;
  private readonly accountId: string;
  private readonly timeScale: number;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.region = options.region ?? LOCAL_REGION;
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    this.timeScale = checkTimeScale(options.timeScale ?? 1);
    prepareStatesTimeout();
  }

  // ---- state machines ------------------------------------------------------------------------

  createStateMachine(input: CreateStateMachineInput): StateMachineDescription {
    checkName(input.name);
    let definition: Record<string, unknown>;
    try {
      definition = parseDefinition(input.definition);
    } catch (error) {
      throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: ${(error as Error).message}`);
    }
    const problems = definitionProblems(definition);
    if (problems.length > 0) throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: ${problems.join('; ')}`);
    let plan: StateMachinePlan;
    try {
      plan = planStateMachine(definition, this.timeScale);
    } catch (error) {
      if (error instanceof InvalidDefinitionError) throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: ${error.message}`);
      throw error;
    }
    const usesDynamoDb = [...plan.tasks.values()].some((task) => task.resource.kind === 'dynamodb');
    if (usesDynamoDb && this.options.dynamoDb === undefined) {
      throw new Error(`State machine ${input.name} has DynamoDB tasks, but the local Step Functions was given no DynamoDB client`);
    }

    const arn = input.arn ?? `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${input.name}`;
    const roleArn = input.roleArn ?? `arn:aws:iam::${this.accountId}:role/${input.name}Role`;
    const existing = this.machines.get(arn);
    if (existing !== undefined) {
      if (existing.description.definition === input.definition && existing.description.roleArn === roleArn) return existing.description;
      throw new SfnError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const description: StateMachineDescription = {
      stateMachineArn: arn,
      name: input.name,
      ...(input.logicalId !== undefined && { logicalId: input.logicalId }),
      status: 'ACTIVE',
      definition: input.definition,
      roleArn,
      type: input.type ?? 'STANDARD',
      creationDate: new Date(),
    };
    const library = new StateMachine(plan.runnable, { validationOptions: { noValidate: true } });
    this.machines.set(arn, { description, plan, library, executions: new Map() });
    return description;
  }

  describeStateMachine(stateMachineArn: string): StateMachineDescription {
    return this.machine(stateMachineArn).description;
  }

  listStateMachines(): StateMachineDescription[] {
    return [...this.machines.values()].map((machine) => machine.description);
  }

  // ---- executions ----------------------------------------------------------------------------

  /**
   * Starts an execution. Names are unique per state machine (for 90 days in AWS; for the life of
   * this service here). Repeating a StartExecution is idempotent while the execution runs and
   * the input is the same: the call returns the running execution. A different input, or an
   * execution that has closed, gets `ExecutionAlreadyExists`.
   */
  startExecution(request: { stateMachineArn: string; name?: string; input?: string }): { executionArn: string; startDate: Date } {
    const machine = this.machine(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    checkName(name);
    const input = request.input ?? '{}';
    let inputValue: unknown;
    try {
      inputValue = JSON.parse(input);
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid Execution Input: the input is not valid JSON');
    }
    const arn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.description.name}:${name}`;
    const existing = machine.executions.get(name);
    if (existing !== undefined) {
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: existing.arn, startDate: existing.startDate };
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }

    const startDate = new Date();
    const execution = {
      machine,
      arn,
      name,
      input,
      startDate,
      status: 'RUNNING',
      attempts: new Set<Attempt>(),
    } as Execution;
    execution.history = new ExecutionHistory({ ...machine.plan, roleArn: machine.description.roleArn }, () => ({ error: execution.error, cause: execution.cause }));
    const context = {
      Execution: { Id: arn, Name: name, RoleArn: machine.description.roleArn, StartTime: startDate.toISOString(), RedriveCount: 0 },
      StateMachine: { Id: machine.description.stateMachineArn, Name: machine.description.name },
      // The library evaluates a state's paths as it enters the state, so "now" is its EnteredTime.
      State: Object.defineProperty({}, 'EnteredTime', { enumerable: true, get: () => new Date().toISOString() }),
      Task: { Token: TASK_TOKEN_PLACEHOLDER },
    };
    machine.executions.set(name, execution);
    this.executions.set(arn, execution);
    this.options.log?.info(`Step Functions: ${machine.description.name} execution ${name} started`);
    // The library runs the first state (and calls its handler) before run() returns.
    const run = machine.library.run(inputValue as never, { overrides: this.handlers(machine.plan, execution), context });
    execution.abort = run.abort;

    const settled = run.result.then(
      (output) => this.close(execution, 'SUCCEEDED', { output: json(output) }),
      (error: unknown) => {
        if (error instanceof ExecutionAbortedError) return this.close(execution, 'ABORTED', {});
        if (error instanceof ExecutionTimeoutError) return this.close(execution, 'TIMED_OUT', { error: 'States.Timeout' });
        const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
        this.close(execution, 'FAILED', executionFailure(failure.name, failure.message));
      },
    );
    const recorded = (async () => {
      for await (const event of run.eventLogs) execution.history.onLibraryEvent(event as LibraryEvent);
    })();
    execution.done = Promise.all([settled, recorded]).then(() => undefined);
    return { executionArn: arn, startDate };
  }

  describeExecution(executionArn: string): ExecutionDescription {
    const execution = this.execution(executionArn);
    return {
      ...listItem(execution),
      input: execution.input,
      inputDetails: { included: true },
      ...(execution.output !== undefined && { output: execution.output, outputDetails: { included: true } }),
      ...(execution.error !== undefined && { error: execution.error }),
      ...(execution.cause !== undefined && { cause: execution.cause }),
    };
  }

  /** Aborts a running execution; its tasks end and their tokens answer `TaskTimedOut`. */
  stopExecution(request: { executionArn: string; error?: string; cause?: string }): { stopDate: Date } {
    const execution = this.execution(request.executionArn);
    if (execution.status === 'RUNNING') {
      this.close(execution, 'ABORTED', { error: request.error, cause: request.cause });
      execution.abort();
    }
    return { stopDate: execution.stopDate ?? new Date() };
  }

  /** Newest first, like ListExecutions. */
  listExecutions(request: { stateMachineArn: string; statusFilter?: ExecutionStatus }): ExecutionListItem[] {
    const machine = this.machine(request.stateMachineArn);
    return [...machine.executions.values()]
      .filter((execution) => request.statusFilter === undefined || execution.status === request.statusFilter)
      .reverse()
      .map(listItem);
  }

  getExecutionHistory(request: { executionArn: string; reverseOrder?: boolean; includeExecutionData?: boolean }): HistoryEvent[] {
    const events = this.execution(request.executionArn).history.events.map((event) =>
      request.includeExecutionData === false ? withoutExecutionData(event) : { ...event },
    );
    return request.reverseOrder === true ? events.reverse() : events;
  }

  /** The states an execution is in now (several inside a Parallel), oldest first. */
  currentStates(executionArn: string): CurrentState[] {
    const execution = this.execution(executionArn);
    const waiting = new Set(this.tokens.waitingStates(executionArn));
    return execution.history.activeStates().map((state) => ({ ...state, waitingForTaskToken: waiting.has(state.name) }));
  }

  /** Every execution with this name, across state machines, oldest first. */
  executionsNamed(name: string): ExecutionDescription[] {
    return [...this.executions.values()].filter((execution) => execution.name === name).map((execution) => this.describeExecution(execution.arn));
  }

  /** Resolves once the execution has closed and its history is complete. */
  async waitForExecution(executionArn: string, { timeoutMs = 30_000 } = {}): Promise<ExecutionDescription> {
    const execution = this.execution(executionArn);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${execution.name} still ${execution.status} after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([execution.done, timedOut]);
    } finally {
      clearTimeout(timer);
    }
    return this.describeExecution(executionArn);
  }

  // ---- task tokens ---------------------------------------------------------------------------

  sendTaskSuccess(request: { taskToken: string; output: string }): void {
    this.tokens.succeed(request.taskToken, request.output);
  }

  sendTaskFailure(request: { taskToken: string; error?: string; cause?: string }): void {
    this.tokens.fail(request.taskToken, request.error ?? '', request.cause ?? '');
  }

  sendTaskHeartbeat(request: { taskToken: string }): void {
    this.tokens.heartbeat(request.taskToken);
  }

  /** Aborts every running execution and waits for them to wind down. */
  async stop(): Promise<void> {
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) {
      this.close(execution, 'ABORTED', { cause: 'The local Step Functions service stopped' });
      execution.abort();
    }
    await Promise.all(running.map((execution) => execution.done));
  }

  // ---- running tasks -------------------------------------------------------------------------

  private handlers(plan: StateMachinePlan, execution: Execution): RunOptions['overrides'] {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const task of plan.tasks.values()) handlers[task.stateName] = (input) => this.runTask(execution, task, input as WrappedInput);
    for (const wait of plan.waits.values()) handlers[wait.stateName] = (input) => this.runWait(execution, wait, input as WrappedInput);
    return { taskResourceLocalHandlers: handlers as never };
  }

  private runTask(execution: Execution, task: TaskPlan, wrapped: WrappedInput): Promise<unknown> {
    if (execution.status !== 'RUNNING') return Promise.reject(executionClosed());
    // Synchronously, before anything else: the history pairs task logs with state entries by call order.
    const log = execution.history.openTaskLog(task.stateName);
    let timeoutSeconds: number | undefined;
    let heartbeatSeconds: number | undefined;
    try {
      timeoutSeconds = task.timeoutSeconds ?? positiveInteger(wrapped.timeoutSeconds, 'TimeoutSecondsPath', task.stateName);
      heartbeatSeconds = task.heartbeatSeconds ?? positiveInteger(wrapped.heartbeatSeconds, 'HeartbeatSecondsPath', task.stateName);
    } catch (error) {
      return Promise.reject(error);
    }
    const attempt = new Attempt(execution.attempts);
    const parameters = wrapped.input;
    const resource = task.resource;
    const legacy = resource.kind === 'lambda:function';
    const names = historyResource(resource);
    const succeed = (output: unknown) => {
      if (!attempt.succeed(output)) return;
      if (legacy) log.record('LambdaFunctionSucceeded', ['lambdaFunctionSucceededEventDetails', { output: json(output), outputDetails: { truncated: false } }]);
      else log.record('TaskSucceeded', ['taskSucceededEventDetails', { ...names, output: json(output), outputDetails: { truncated: false } }]);
    };
    const fail = (error: unknown) => {
      const failure = error instanceof StateError ? error : runtimeError(`The local ${names.resourceType} integration failed: ${String(error)}`);
      if (!attempt.fail(failure)) return;
      if (legacy) log.record('LambdaFunctionFailed', ['lambdaFunctionFailedEventDetails', { error: failure.name, cause: failure.message }]);
      else log.record('TaskFailed', ['taskFailedEventDetails', { ...names, error: failure.name, cause: failure.message }]);
    };
    const timedOut = (error: string) => {
      const details = { error, cause: error === 'States.Timeout' ? `Task timed out after ${timeoutSeconds} seconds` : `No heartbeat for ${heartbeatSeconds} seconds` };
      if (legacy) log.record('LambdaFunctionTimedOut', ['lambdaFunctionTimedOutEventDetails', details]);
      else log.record('TaskTimedOut', ['taskTimedOutEventDetails', { ...names, ...details }]);
    };
    if (timeoutSeconds !== undefined) {
      attempt.after(this.scaledMs(timeoutSeconds), () => {
        void statesTimeout(`Task timed out after ${timeoutSeconds} seconds`).then((error) => {
          if (attempt.fail(error)) timedOut('States.Timeout');
        });
      });
    }

    // The call each integration makes, under the state machine's role: a denied one fails as the service's AccessDeniedException.
    const denied = this.options.authorizeTask?.(execution.machine.description, taskResourceArn(resource), parameters);
    const invokeLambda: InvokeLambda = denied === undefined ? this.options.invokeLambda : () => Promise.reject(new AccessDeniedError(denied));

    const limits = {
      ...(timeoutSeconds !== undefined && { timeoutInSeconds: timeoutSeconds }),
      ...(heartbeatSeconds !== undefined && { heartbeatInSeconds: heartbeatSeconds }),
    };
    switch (resource.kind) {
      case 'lambda:function':
        log.record('LambdaFunctionScheduled', ['lambdaFunctionScheduledEventDetails', { resource: resource.functionArn, input: json(parameters), inputDetails: { truncated: false }, ...(timeoutSeconds !== undefined && { timeoutInSeconds: timeoutSeconds }) }]);
        log.record('LambdaFunctionStarted', ['lambdaFunctionStartedEventDetails', {}]);
        invokeFunctionArn(invokeLambda, resource.functionArn, parameters).then(succeed, fail);
        break;
      case 'dynamodb':
        log.record('TaskScheduled', ['taskScheduledEventDetails', { ...names, region: this.region, parameters: json(parameters), ...limits }]);
        log.record('TaskStarted', ['taskStartedEventDetails', names]);
        callDynamoDb(this.options.dynamoDb as DynamoDBClient, resource.action, parameters, denied).then(succeed, fail);
        break;
      case 'lambda:invoke': {
        if (!resource.waitForTaskToken) {
          log.record('TaskScheduled', ['taskScheduledEventDetails', { ...names, region: this.region, parameters: json(parameters), ...limits }]);
          log.record('TaskStarted', ['taskStartedEventDetails', names]);
          invokeFunction(invokeLambda, parameters).then(succeed, fail);
          break;
        }
        let heartbeatTimer: NodeJS.Timeout | undefined;
        const armHeartbeat = () => {
          if (heartbeatSeconds === undefined) return;
          attempt.cancel(heartbeatTimer);
          heartbeatTimer = attempt.after(this.scaledMs(heartbeatSeconds), () => {
            if (attempt.fail(new StateError('States.HeartbeatTimeout', `No heartbeat for ${heartbeatSeconds} seconds`))) timedOut('States.HeartbeatTimeout');
          });
        };
        // A fresh token per attempt, registered before the function runs: it may call back at once.
        const token = this.tokens.issue({
          executionArn: execution.arn,
          stateName: task.stateName,
          succeed,
          fail: (error, cause) => fail(new StateError(error, cause)),
          heartbeat: armHeartbeat,
        });
        attempt.onSettled(() => this.tokens.close(token));
        const withToken = withTaskToken(parameters, token);
        log.record('TaskScheduled', ['taskScheduledEventDetails', { ...names, region: this.region, parameters: json(withToken), ...limits }]);
        log.record('TaskStarted', ['taskStartedEventDetails', names]);
        armHeartbeat();
        invokeFunction(invokeLambda, withToken).then((response) => {
          if (attempt.isOpen) log.record('TaskSubmitted', ['taskSubmittedEventDetails', { ...names, output: json(response), outputDetails: { truncated: false } }]);
        }, fail);
        break;
      }
      case 'states:startExecution': {
        log.record('TaskScheduled', ['taskScheduledEventDetails', { ...names, region: this.region, parameters: json(parameters), ...limits }]);
        log.record('TaskStarted', ['taskStartedEventDetails', names]);
        let child: { executionArn: string; startDate: Date };
        try {
          if (denied !== undefined) throw new AccessDeniedError(denied);
          child = this.startChild(parameters);
        } catch (error) {
          fail(asStepFunctionsError(error));
          break;
        }
        const started = { ExecutionArn: child.executionArn, StartDate: child.startDate.getTime() };
        if (resource.wait === 'none') {
          succeed(started);
          break;
        }
        log.record('TaskSubmitted', ['taskSubmittedEventDetails', { ...names, output: json(started), outputDetails: { truncated: false } }]);
        // A parent that stops (or times out the task) stops its child, as the .sync integration does.
        attempt.onSettled(() => {
          if (this.executions.get(child.executionArn)?.status === 'RUNNING') this.stopExecution({ executionArn: child.executionArn, cause: 'The parent execution stopped waiting for it' });
        });
        // The integration polls DescribeExecution (and may StopExecution) with the parent's role.
        const describeDenied = this.options.authorizeTask?.(execution.machine.description, 'arn:aws:states:::states:describeExecution', { executionArn: child.executionArn });
        if (describeDenied !== undefined) {
          fail(asStepFunctionsError(new AccessDeniedError(describeDenied)));
          break;
        }
        void this.execution(child.executionArn).done.then(() => {
          const done = this.describeExecution(child.executionArn);
          const described = syncOutput(done, resource.wait === 'sync:2');
          if (done.status === 'SUCCEEDED') succeed(described);
          // Step Functions fails the task with States.TaskFailed, the child's DescribeExecution as the cause.
          else fail(new StateError('States.TaskFailed', JSON.stringify(described)));
        });
        break;
      }
    }
    return attempt.promise;
  }

  /** `states:startExecution` Parameters: StateMachineArn, Input (JSON or a JSON string), Name. */
  private startChild(parameters: unknown): { executionArn: string; startDate: Date } {
    const { StateMachineArn, Input, Name } = (parameters ?? {}) as { StateMachineArn?: unknown; Input?: unknown; Name?: unknown };
    if (typeof StateMachineArn !== 'string') throw new SfnError('InvalidArn', 'states:startExecution needs Parameters.StateMachineArn');
    if (Name !== undefined && typeof Name !== 'string') throw new SfnError('InvalidName', 'Parameters.Name must be a string');
    const input = Input === undefined ? undefined : typeof Input === 'string' ? Input : JSON.stringify(Input);
    return this.startExecution({ stateMachineArn: StateMachineArn, ...(Name !== undefined && { name: Name }), ...(input !== undefined && { input }) });
  }

  /** A Wait state, which the library runs as a local task so its duration can be scaled. */
  private runWait(execution: Execution, wait: WaitPlan, wrapped: WrappedInput): Promise<unknown> {
    if (execution.status !== 'RUNNING') return Promise.reject(executionClosed());
    let delayMs: number;
    if (wait.seconds !== undefined) delayMs = wait.seconds * 1000;
    else if (wait.timestamp !== undefined) delayMs = Date.parse(wait.timestamp) - Date.now();
    else if ('seconds' in wrapped) {
      const seconds = wrapped.seconds;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        return Promise.reject(runtimeError(`Wait state "${wait.stateName}": SecondsPath must point to a non-negative integer, not ${json(seconds)}`));
      }
      delayMs = seconds * 1000;
    } else {
      const timestamp = typeof wrapped.timestamp === 'string' ? Date.parse(wrapped.timestamp) : Number.NaN;
      if (Number.isNaN(timestamp)) {
        return Promise.reject(runtimeError(`Wait state "${wait.stateName}": TimestampPath must point to an ISO 8601 timestamp, not ${json(wrapped.timestamp)}`));
      }
      delayMs = timestamp - Date.now();
    }
    const attempt = new Attempt(execution.attempts);
    attempt.after(Math.max(0, delayMs) * this.timeScale, () => attempt.succeed(wrapped.input));
    return attempt.promise;
  }

  private close(execution: Execution, status: ExecutionStatus, details: { output?: string; error?: string; cause?: string }): void {
    if (execution.status !== 'RUNNING') return;
    execution.status = status;
    execution.stopDate = new Date();
    if (details.output !== undefined) execution.output = details.output;
    if (details.error !== undefined) execution.error = details.error;
    if (details.cause !== undefined) execution.cause = details.cause;
    for (const attempt of [...execution.attempts]) attempt.fail(executionClosed());
    const took = execution.stopDate.getTime() - execution.startDate.getTime();
    const why = execution.error === undefined ? '' : `: ${execution.error}${execution.cause ? ` (${truncate(execution.cause, 200)})` : ''}`;
    const line = `Step Functions: ${execution.machine.description.name} execution ${execution.name} ${status} after ${took} ms${why}`;
    if (status === 'SUCCEEDED' || status === 'ABORTED') this.options.log?.info(line);
    else this.options.log?.warn(line);
  }

  private scaledMs(seconds: number): number {
    return seconds * 1000 * this.timeScale;
  }

  private machine(stateMachineArn: string): MachineRecord {
    if (typeof stateMachineArn !== 'string' || !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(stateMachineArn)) {
      throw new SfnError('InvalidArn', `Invalid Arn: '${String(stateMachineArn)}'`);
    }
    const machine = this.machines.get(stateMachineArn);
    if (machine === undefined) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    return machine;
  }

  private execution(executionArn: string): Execution {
    if (typeof executionArn !== 'string' || !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(executionArn)) {
      throw new SfnError('InvalidArn', `Invalid Arn: '${String(executionArn)}'`);
    }
    const execution = this.executions.get(executionArn);
    if (execution === undefined) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }
}

function checkName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH || INVALID_NAME_CHARACTERS.test(name)) {
    throw new SfnError('InvalidName', `Invalid Name: '${String(name)}' (1 to ${MAX_NAME_LENGTH} characters, no whitespace, brackets, wildcards or special characters)`);
  }
}

function listItem(execution: Execution): ExecutionListItem {
  return {
    executionArn: execution.arn,
    stateMachineArn: execution.machine.description.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
    ...(execution.stopDate !== undefined && { stopDate: execution.stopDate }),
  };
}

/** Ends handlers of a closed execution; nothing may retry or catch it. */
function executionClosed(): StateError {
  return new StateError('States.Runtime', 'The execution has closed', { retryable: false, catchable: false });
}

function positiveInteger(value: unknown, field: string, stateName: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw runtimeError(`State "${stateName}": ${field} must point to a positive integer, not ${json(value)}`);
  }
  return value;
}

function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
    const { input: _input, inputDetails: _inputDetails, output: _output, outputDetails: _outputDetails, ...rest } = value as Record<string, unknown>;
    copy[key] = rest;
  }
  return copy;
}

/** DescribeExecution as the `.sync` integrations return it: Input and Output as JSON strings (`.sync`) or as JSON (`.sync:2`). */
function syncOutput(execution: ExecutionDescription, parsed: boolean): Record<string, unknown> {
  const value = (text: string | undefined) => (text === undefined || !parsed ? text : JSON.parse(text));
  return {
    ExecutionArn: execution.executionArn,
    StateMachineArn: execution.stateMachineArn,
    Name: execution.name,
    Status: execution.status,
    StartDate: execution.startDate.getTime(),
    ...(execution.stopDate !== undefined && { StopDate: execution.stopDate.getTime() }),
    Input: value(execution.input),
    InputDetails: { Included: true },
    ...(execution.output !== undefined && { Output: value(execution.output), OutputDetails: { Included: true } }),
    ...(execution.error !== undefined && { Error: execution.error }),
    ...(execution.cause !== undefined && { Cause: execution.cause }),
  };
}

/** A failed StartExecution, named as the integration names it: `StepFunctions.<Code>Exception`. */
function asStepFunctionsError(error: unknown): StateError {
  if (error instanceof AccessDeniedError) return new StateError('StepFunctions.AWSStepFunctionsException', `${error.message} (Service: AWSStepFunctions; Status Code: 400; Error Code: AccessDeniedException)`);
  if (error instanceof SfnError) {
    const code = error.code.endsWith('Exception') ? error.code : `${error.code}Exception`;
    return new StateError(`StepFunctions.${code}`, `${error.message} (Service: AWSStepFunctions; Status Code: 400; Error Code: ${code})`);
  }
  return new StateError('StepFunctions.SdkClientException', String(error));
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}
