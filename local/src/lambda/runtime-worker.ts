/**
 * The inside of one local Lambda execution environment: a worker thread that imports the
 * handler once (the cold start), then runs one invocation at a time, like the Node.js runtime.
 * It is loaded with tsx registered, so the handler's TypeScript runs as written.
 */
import type { Context } from 'aws-lambda';
import { parentPort, workerData } from 'node:worker_threads';
import { type InvokeMessage, type LambdaError, toLambdaError, type WorkerBootData, type WorkerMessage } from './invocation.ts';
import type { SdkCall } from './sdk-metrics.ts';

type Handler = (event: unknown, context: Context) => unknown;

const boot = workerData as WorkerBootData;
const port = parentPort;
if (port === null) throw new Error('runtime-worker.ts must run in a worker thread');

const post = (message: WorkerMessage) => port.postMessage(message);

function createContext(message: InvokeMessage): Context {
  const notSupported = () => {
    // Callback-style completion is gone from the nodejs24.x runtime; handlers return a promise.
    throw new Error('context.done/succeed/fail are not supported by the nodejs24.x runtime');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: boot.functionName,
    functionVersion: boot.functionVersion,
    invokedFunctionArn: boot.invokedFunctionArn,
    memoryLimitInMB: String(boot.memorySizeMb),
    awsRequestId: message.requestId,
    logGroupName: boot.logGroupName,
    logStreamName: boot.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    done: notSupported,
    fail: notSupported,
    succeed: notSupported,
  };
}

async function loadHandler(): Promise<Handler | LambdaError> {
  try {
    const module = (await import(boot.entryUrl)) as Record<string, unknown>;
    const handler = module[boot.exportName];
    if (typeof handler !== 'function') {
      return {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${boot.entryUrl} does not export a function named ${boot.exportName}`,
        trace: [],
      };
    }
    return handler as Handler;
  } catch (error) {
    return { ...toLambdaError(error), errorType: 'Runtime.ImportModuleError' };
  }
}

// Local benchmark hook, off by default (LambdaServiceOptions.onSdkCall): count the
// handler's AWS SDK calls and report them to the service. Installed before the handler loads.
// The calls of an invocation go in one message just before its result (on the same port, so
// they arrive first), not one message per call: each message wakes the main thread, and on a
// 2-core machine that slowed the measured request (docs/decisions.md D35). An invocation that
// times out loses its report with its environment (the bench runs without faults).
let sdkCalls: SdkCall[] = [];
const flushSdkCalls = () => {
  if (sdkCalls.length === 0) return;
  port.postMessage({ type: 'sdk-calls', calls: sdkCalls });
  sdkCalls = [];
};
if ((workerData as { instrumentSdk?: boolean }).instrumentSdk === true) {
  const { installSdkMetrics } = await import('./sdk-metrics.ts');
  installSdkMetrics((call) => void sdkCalls.push(call));
}

// IAM: every AWS SDK call the handler makes is checked against the function's execution role
// (see local/src/iam/README.md), from its first import on.
if (boot.iam !== undefined) {
  const { enableIamInWorker } = await import('../iam/worker-enforcement.ts');
  enableIamInWorker(boot.iam, (message) => port.postMessage(message));
}

const initStarted = performance.now();
const loaded = await loadHandler();

if (typeof loaded !== 'function') {
  post({ type: 'init-error', error: loaded });
} else {
  const handler = loaded;
  port.on('message', async (message: InvokeMessage) => {
    // The runtime sets the trace header per invocation; Powertools and the X-Ray SDK read it.
    process.env._X_AMZN_TRACE_ID = message.traceId;
    try {
      const result = await handler(JSON.parse(message.eventJson), createContext(message));
      flushSdkCalls();
      // Lambda serialises the result as JSON: `undefined` becomes null, Dates become strings.
      post({ type: 'result', requestId: message.requestId, payloadJson: JSON.stringify(result) ?? 'null' });
    } catch (error) {
      flushSdkCalls();
      console.error(`Invoke Error ${JSON.stringify(toLambdaError(error))}`);
      post({ type: 'error', requestId: message.requestId, error: toLambdaError(error) });
    }
  });
  flushSdkCalls(); // calls made at init
  post({ type: 'ready', initDurationMs: performance.now() - initStarted });
}
