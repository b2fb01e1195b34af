import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { ExecutionEnvironment } from './execution-environment.ts';
import { decideFault, type FaultDescription, type FaultRule, withBatchItemFailures } from './faults.ts';
import type { LocalFunctionDefinition } from './from-template.ts';
import type { InvocationOutcome, InvokeOptions, LambdaInvoker } from './invocation.ts';
import type { DeniedCall, IamSnapshot, LocalIam } from '../iam/local-iam.ts';
import type { SdkCall } from './sdk-metrics.ts';
import { functionArn, lambdaEnvironment, logGroupName, type RuntimeSettings } from './lambda-environment.ts';

export interface FunctionLogLine {
  functionLogicalId: string;
  stream: 'stdout' | 'stderr';
  line: string;
  /**
   * The invocation the line belongs to: the one its execution environment was running (or ran
   * last, for output that arrives after the result; an environment runs one at a time).
   */
  requestId?: string;
}

/** An invocation with the log lines its function wrote while running it (`npm run invoke`). */
export interface CapturedInvocation {
  outcome: InvocationOutcome;
  logLines: FunctionLogLine[];
}

/**
 * How long output written just before the handler returned may trail its result: a worker's
 * stdout reaches this thread on another channel than its result message.
 */
const TRAILING_OUTPUT_MS = 50;

export interface InvocationTiming {
  event: unknown;
  /** Epoch ms (fractional, see `epochMs`) when the invocation was asked for (before waiting for an environment). */
  startedAt: number;
  /** Epoch ms (fractional) when its outcome was known. */
  endedAt: number;
}

/**
 * Epoch milliseconds with the monotonic clock's sub-millisecond resolution: a warm invocation
 * takes a few ms, so the bench's per-hop breakdown needs more than `Date.now()`'s whole ms.
 */
export const epochMs = (): number => performance.timeOrigin + performance.now();

export interface LambdaServiceOptions extends RuntimeSettings {
  functions: LocalFunctionDefinition[];
  /** Environments per function when it sets no reserved concurrency. */
  defaultConcurrency?: number;
  onLog?: (line: FunctionLogLine) => void;
  /** `timing`: when `invoke` was called and returned (epoch ms), and the event, for the bench's per-hop breakdown. */
  onInvocation?: (functionLogicalId: string, outcome: InvocationOutcome, timing: InvocationTiming) => void;
  /** Told whenever a fault rule (see `setFault`) changed an invocation. */
  onFault?: (functionLogicalId: string, message: string) => void;
  /**
   * Benchmark hook, off by default: when set, every execution environment counts its handler's
   * AWS SDK calls (DynamoDB with consumed capacity) and reports each here. See sdk-metrics.ts.
   */
  onSdkCall?: (functionLogicalId: string, call: SdkCall) => void;
  /**
   * IAM (iam/README.md): each environment checks its handler's AWS SDK calls against the
   * function's execution role, and what it used is recorded in this engine's usage.
   */
  iam?: LocalIam;
  /** Told about each call a handler made that AWS would deny. */
  onIamDenied?: (call: DeniedCall) => void;
}

const DEFAULT_CONCURRENCY = 10;

/**
 * The local Lambda service: `invoke(functionLogicalId, event)` runs a function's handler the
 * way Lambda would, in a pool of execution environments per function (worker threads).
 * A busy function gets another environment (a cold start) up to its concurrency; past that,
 * invocations wait their turn instead of being throttled.
 *
 * Every event source plugs in here: the API server today; DynamoDB stream, SQS and Step
 * Functions pollers later build their event and call `invoke` the same way.
 */
export class LocalLambdaService implements LambdaInvoker {
  private readonly pools = new Map<string, EnvironmentPool>();
  private readonly faults = new Map<string, { rule: FaultRule; description: string }>();
  private readonly logListeners = new Set<(line: FunctionLogLine) => void>();
  private stopped = false;
  private running = 0;

  constructor(private readonly options: LambdaServiceOptions) {
    // Taken once: every environment gets the same plain-data copy of the engine.
    const iamSnapshot = options.iam?.snapshot();
    const onLog = (line: FunctionLogLine) => {
      options.onLog?.(line);
      for (const listener of this.logListeners) listener(line);
    };
    for (const fn of options.functions) {
      this.pools.set(fn.logicalId, new EnvironmentPool(fn, { ...options, onLog }, iamSnapshot));
    }
  }

  get functions(): LocalFunctionDefinition[] {
    return this.options.functions;
  }

  /**
   * Invocations asked for and not yet answered, including those waiting for an environment or
   * for its cold start: zero means no function is running (the bench waits for it before a
   * measurement; counting finished invocations alone misses a cold start still under way).
   */
  get inFlight(): number {
    return this.running;
  }

  async invoke(functionLogicalId: string, event: unknown, options: InvokeOptions = {}): Promise<InvocationOutcome> {
    this.running += 1;
    try {
      return await this.invokeOnce(functionLogicalId, event, options);
    } finally {
      this.running -= 1;
    }
  }

  private async invokeOnce(functionLogicalId: string, event: unknown, options: InvokeOptions): Promise<InvocationOutcome> {
    const requestId = options.requestId ?? randomUUID();
    const startedAt = epochMs();
    const pool = this.pools.get(functionLogicalId);
    if (pool === undefined) {
      throw new Error(`No function ${functionLogicalId} in the template (known: ${[...this.pools.keys()].join(', ')})`);
    }
    if (this.stopped) throw new Error('The local Lambda service is stopped');
    const fault = this.faults.get(functionLogicalId);
    const decision = fault === undefined ? { kind: 'none' as const } : decideFault(fault.rule, event);
    let outcome: InvocationOutcome;
    if (decision.kind === 'fail') {
      this.options.onFault?.(functionLogicalId, `${decision.error.errorType}: ${decision.error.errorMessage}`);
      outcome = { kind: 'error', requestId, error: decision.error, durationMs: 0 };
    } else if (decision.kind === 'partial') {
      const ids = decision.failures.map((failure) => failure.itemIdentifier).join(', ');
      this.options.onFault?.(functionLogicalId, `${decision.error.errorMessage}; reported as batch item failures: ${ids}`);
      outcome = await pool.invoke(JSON.stringify(decision.event), requestId);
      if (outcome.kind === 'success') outcome = { ...outcome, payload: withBatchItemFailures(outcome.payload, decision.failures) };
    } else if (decision.kind === 'after-work') {
      const ran = await pool.invoke(JSON.stringify(decision.event), requestId);
      this.options.onFault?.(functionLogicalId, `${decision.error.errorType} after the handler ran (${ran.kind}): ${decision.error.errorMessage}`);
      outcome = { kind: 'error', requestId, error: decision.error, durationMs: ran.durationMs };
    } else {
      outcome = await pool.invoke(JSON.stringify(event), requestId);
    }
    this.options.onInvocation?.(functionLogicalId, outcome, { event, startedAt, endedAt: epochMs() });
    return outcome;
  }

  /** Every function's log lines from now on, until the returned function is called (the bench counts their bytes). */
  addLogListener(listener: (line: FunctionLogLine) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  /**
   * `invoke`, plus the function's log lines of this invocation (what CloudWatch Logs would show
   * for its request id), for `npm run invoke`. The lines still go to the cloud's log as well.
   */
  async invokeCapturingLogs(functionLogicalId: string, event: unknown): Promise<CapturedInvocation> {
    const requestId = randomUUID();
    const logLines: FunctionLogLine[] = [];
    const listener = (line: FunctionLogLine) => {
      if (line.functionLogicalId === functionLogicalId && line.requestId === requestId) logLines.push(line);
    };
    this.logListeners.add(listener);
    try {
      const outcome = await this.invoke(functionLogicalId, event, { requestId });
      await new Promise((resolve) => setTimeout(resolve, TRAILING_OUTPUT_MS));
      return { outcome, logLines };
    } finally {
      this.logListeners.delete(listener);
    }
  }

  /**
   * Local fault injection (see faults.ts): from now on the function fails for the inputs `rule`
   * picks, without its code changing. One rule per function; a new one replaces the old.
   */
  setFault(functionLogicalId: string, rule: FaultRule, description = 'a custom rule'): void {
    if (!this.pools.has(functionLogicalId)) {
      throw new Error(`No function ${functionLogicalId} in the template (known: ${[...this.pools.keys()].join(', ')})`);
    }
    this.faults.set(functionLogicalId, { rule, description });
  }

  clearFault(functionLogicalId: string): boolean {
    return this.faults.delete(functionLogicalId);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  listFaults(): FaultDescription[] {
    return [...this.faults].map(([functionLogicalId, { description }]) => ({ functionLogicalId, description }));
  }

  /**
   * Starts one execution environment per function now, so their cold starts overlap with
   * other work instead of delaying the first invocations. The first invocation still reports
   * the init duration.
   */
  prewarm(functionLogicalIds: string[]): void {
    for (const id of functionLogicalIds) this.pools.get(id)?.prewarm();
  }

  /**
   * Retires every execution environment, as a deployment does: idle ones end now, busy ones
   * after their current invocation, and the next invocations cold-start with fresh code.
   */
  recycle(): void {
    for (const pool of this.pools.values()) pool.recycle();
  }

  /** Ends every execution environment; pending invocations fail. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
  }
}

class EnvironmentPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  /** Environments created before the last recycle(), ended when they are next released. */
  private readonly retired = new WeakSet<ExecutionEnvironment>();
  private readonly waiting: Array<(environment: ExecutionEnvironment | Error) => void> = [];
  /** The request each environment runs (or ran last), to tell whose output a log line is. */
  private readonly requestIds = new WeakMap<ExecutionEnvironment, string>();
  private readonly limit: number;

  constructor(
    private readonly fn: LocalFunctionDefinition,
    private readonly options: LambdaServiceOptions,
    private readonly iamSnapshot: IamSnapshot | undefined,
  ) {
    this.limit = Math.max(1, fn.reservedConcurrency ?? options.defaultConcurrency ?? DEFAULT_CONCURRENCY);
  }

  async invoke(eventJson: string, requestId: string): Promise<InvocationOutcome> {
    if ('problem' in this.fn.entry) {
      const error = { errorType: 'Runtime.ImportModuleError', errorMessage: this.fn.entry.problem, trace: [] };
      return { kind: 'error', requestId, error, durationMs: 0 };
    }
    const environment = await this.acquire();
    this.requestIds.set(environment, requestId);
    try {
      return await environment.invoke(eventJson, requestId);
    } finally {
      this.release(environment);
    }
  }

  recycle(): void {
    for (const environment of this.all) this.retired.add(environment);
    for (const environment of this.idle.splice(0)) {
      this.all.delete(environment);
      void environment.stop();
    }
  }

  prewarm(): void {
    if (this.all.size > 0 || 'problem' in this.fn.entry) return;
    // The environment initialises in the background; an invocation that takes it waits for init.
    this.idle.push(this.create());
  }

  async stop(): Promise<void> {
    for (const waiter of this.waiting.splice(0)) waiter(new Error('The local Lambda service is stopped'));
    await Promise.all([...this.all].map((environment) => environment.stop()));
    this.all.clear();
    this.idle.length = 0;
  }

  private async acquire(): Promise<ExecutionEnvironment> {
    const reusable = this.idle.pop();
    if (reusable !== undefined) return reusable;
    if (this.all.size < this.limit) return this.create();
    const handedOver = await new Promise<ExecutionEnvironment | Error>((resolve) => this.waiting.push(resolve));
    if (handedOver instanceof Error) throw handedOver;
    return handedOver;
  }

  private release(environment: ExecutionEnvironment): void {
    if (this.retired.has(environment) && environment.isUsable) void environment.stop();
    if (!environment.isUsable) this.all.delete(environment);
    const next = this.waiting.shift();
    if (next === undefined) {
      if (environment.isUsable) this.idle.push(environment);
      return;
    }
    next(environment.isUsable ? environment : this.create());
  }

  private create(): ExecutionEnvironment {
    const { fn, options } = this;
    const entry = fn.entry as { path: string; exportName: string };
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomUUID().replaceAll('-', '')}`;
    const environment: ExecutionEnvironment = new ExecutionEnvironment({
      boot: {
        entryUrl: pathToFileURL(entry.path).href,
        exportName: entry.exportName,
        functionName: fn.functionName,
        functionVersion: '$LATEST',
        memorySizeMb: fn.memorySizeMb,
        invokedFunctionArn: functionArn(fn, options),
        logGroupName: logGroupName(fn),
        logStreamName,
        ...(this.iamSnapshot !== undefined && { iam: { snapshot: this.iamSnapshot, principal: fn.logicalId } }),
      },
      env: lambdaEnvironment(fn, options, logStreamName),
      timeoutSeconds: fn.timeoutSeconds,
      onLog: (stream, line) => options.onLog?.({ functionLogicalId: fn.logicalId, stream, line, requestId: this.requestIds.get(environment) }),
      ...(options.onSdkCall !== undefined && { onSdkCall: (call: SdkCall) => options.onSdkCall?.(fn.logicalId, call) }),
      onIam: (message) => {
        if (message.type === 'iam-use') options.iam?.usage.record(message.role, message.use);
        else {
          options.iam?.recordDenial(message.call);
          options.onIamDenied?.(message.call);
        }
      },
    });
    this.all.add(environment);
    return environment;
  }
}
