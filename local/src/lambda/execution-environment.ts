import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IamWorkerMessage } from '../iam/worker-enforcement.ts';
import type { SdkCall } from './sdk-metrics.ts';
import {
  type InvocationOutcome,
  type InvokeMessage,
  type LambdaError,
  toLambdaError,
  type WorkerBootData,
  type WorkerMessage,
} from './invocation.ts';

/** Lambda's limit on a synchronous response payload. */
export const MAX_RESPONSE_BYTES = 6_291_556;

export interface EnvironmentSettings {
  boot: WorkerBootData;
  env: Record<string, string>;
  timeoutSeconds: number;
  onLog: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Benchmark hook (off by default): count the handler's AWS SDK calls, see sdk-metrics.ts. */
  onSdkCall?: (call: SdkCall) => void;
  /** What the worker's IAM enforcement reports: each new (role, action, resource) used, each denied call. */
  onIam?: (message: IamWorkerMessage) => void;
}

const RUNTIME_WORKER = new URL('./runtime-worker.ts', import.meta.url);
// Resolved once from this package, so workers load tsx whatever the current directory is.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * One Lambda execution environment: a worker thread with its own `process.env` and module
 * cache, so each function keeps its own SDK clients and cold start, as in a real container.
 * It runs one invocation at a time; a timeout or crash destroys it, as Lambda does.
 */
export class ExecutionEnvironment {
  private readonly worker: Worker;
  private readonly ready: Promise<{ initDurationMs: number } | { error: LambdaError }>;
  private pending: ((message: WorkerMessage | { type: 'crash'; error: LambdaError }) => void) | undefined;
  private initReported = false;
  private alive = true;

  constructor(private readonly settings: EnvironmentSettings) {
    this.worker = new Worker(RUNTIME_WORKER, {
      name: settings.boot.functionName,
      workerData: settings.onSdkCall === undefined ? settings.boot : { ...settings.boot, instrumentSdk: true },
      env: settings.env,
      execArgv: ['--import', TSX_LOADER],
      stdout: true,
      stderr: true,
    });
    this.forwardLines(this.worker.stdout, 'stdout');
    this.forwardLines(this.worker.stderr, 'stderr');

    this.ready = new Promise((resolve) => {
      const onInitMessage = (message: WorkerMessage) => {
        if (message.type === 'ready') resolve({ initDurationMs: message.initDurationMs });
        if (message.type === 'init-error') resolve({ error: message.error });
        if (message.type === 'ready' || message.type === 'init-error') this.worker.off('message', onInitMessage);
      };
      this.worker.on('message', onInitMessage);
      this.worker.once('exit', () => resolve({ error: exitError('Runtime.ExitError', 'exited during init') }));
    });

    this.worker.on('message', (message: WorkerMessage | { type: 'sdk-calls'; calls: SdkCall[] }) => {
      if (message.type === 'result' || message.type === 'error') this.pending?.(message);
      if (message.type === 'sdk-calls') for (const call of message.calls) settings.onSdkCall?.(call);
      if (message.type === 'iam-use' || message.type === 'iam-denied') settings.onIam?.(message);
    });
    this.worker.on('error', (error) => {
      // An exception escaped the handler (thrown in a timer, an unhandled rejection): the
      // runtime dies with it, as it does in Lambda.
      this.pending?.({ type: 'crash', error: { ...toLambdaError(error), errorType: 'Runtime.UnhandledError' } });
    });
    this.worker.on('exit', (code) => {
      this.alive = false;
      this.pending?.({ type: 'crash', error: exitError('Runtime.ExitError', `exited with code ${code}`) });
    });
  }

  get isUsable(): boolean {
    return this.alive;
  }

  async invoke(eventJson: string, requestId: string): Promise<InvocationOutcome> {
    const initOutcome = await this.ready;
    const initDurationMs = this.initReported ? undefined : 'initDurationMs' in initOutcome ? initOutcome.initDurationMs : undefined;
    this.initReported = true;
    if ('error' in initOutcome) {
      // A failed init leaves nothing to reuse; the next invocation starts a fresh environment.
      await this.stop();
      return { kind: 'error', requestId, error: initOutcome.error, durationMs: 0 };
    }

    const started = performance.now();
    const timeoutMs = this.settings.timeoutSeconds * 1000;
    const message: InvokeMessage = {
      type: 'invoke',
      requestId,
      eventJson,
      deadline: Date.now() + timeoutMs,
      traceId: traceHeader(),
    };

    const reply = await new Promise<WorkerMessage | { type: 'crash' | 'timeout'; error: LambdaError }>((resolve) => {
      const timer = setTimeout(() => {
        resolve({
          type: 'timeout',
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.settings.timeoutSeconds.toFixed(2)} seconds`,
            trace: [],
          },
        });
      }, timeoutMs);
      this.pending = (received) => {
        if ('requestId' in received && received.requestId !== requestId) return;
        clearTimeout(timer);
        resolve(received);
      };
      this.worker.postMessage(message);
    });
    this.pending = undefined;
    const durationMs = performance.now() - started;

    switch (reply.type) {
      case 'result': {
        if (Buffer.byteLength(reply.payloadJson) > MAX_RESPONSE_BYTES) {
          const error = {
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
            trace: [],
          };
          return { kind: 'error', requestId, error, durationMs, initDurationMs };
        }
        return { kind: 'success', requestId, payload: JSON.parse(reply.payloadJson), durationMs, initDurationMs };
      }
      case 'error':
        return { kind: 'error', requestId, error: reply.error, durationMs, initDurationMs };
      case 'timeout':
      case 'crash':
        // Lambda throws the environment away after a timeout or a runtime crash.
        await this.stop();
        return { kind: 'error', requestId, error: reply.error, durationMs, initDurationMs };
      default:
        throw new Error(`Unexpected worker message ${reply.type}`);
    }
  }

  async stop(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }

  private forwardLines(stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.settings.onLog(name, line));
  }
}

function exitError(errorType: string, detail: string): LambdaError {
  return { errorType, errorMessage: `Runtime ${detail}`, trace: [] };
}

/** An X-Ray trace header of the shape Lambda sets in `_X_AMZN_TRACE_ID` (not sampled). */
function traceHeader(): string {
  const hex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epoch}-${hex(12)};Parent=${hex(8)};Sampled=0`;
}
