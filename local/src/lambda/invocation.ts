import type { IamWorkerMessage, WorkerIamSettings } from '../iam/worker-enforcement.ts';

/**
 * The contract between callers and the local Lambda service, and between the service and
 * the worker threads that run handlers.
 */

/** What a synchronous Invoke returns, like the Lambda Invoke API (`FunctionError: Unhandled`). */
export type InvocationOutcome = InvocationSuccess | InvocationFailure;

export interface InvocationSuccess {
  kind: 'success';
  requestId: string;
  /** The handler's return value after a JSON round trip, as Lambda would deliver it. */
  payload: unknown;
  durationMs: number;
  /** Set on the invocation that started the environment (a cold start). */
  initDurationMs?: number;
}

export interface InvocationFailure {
  kind: 'error';
  requestId: string;
  /** The error payload Lambda returns: `errorType`, `errorMessage` and `trace`. */
  error: LambdaError;
  durationMs: number;
  initDurationMs?: number;
}

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export interface InvokeOptions {
  /** Defaults to a fresh UUID, like `context.awsRequestId`. */
  requestId?: string;
}

/** What every caller of the Lambda service (API server, stream and queue pollers) relies on. */
export interface LambdaInvoker {
  invoke(functionLogicalId: string, event: unknown, options?: InvokeOptions): Promise<InvocationOutcome>;
}

// ---- messages between the service and a runtime worker --------------------------------------

export interface WorkerBootData {
  entryUrl: string;
  exportName: string;
  functionName: string;
  functionVersion: string;
  memorySizeMb: number;
  invokedFunctionArn: string;
  logGroupName: string;
  logStreamName: string;
  /** The IAM engine's snapshot and the function it acts for: every AWS SDK call is checked in the worker. */
  iam?: WorkerIamSettings;
}

export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  eventJson: string;
  /** Epoch milliseconds at which the function times out, for `getRemainingTimeInMillis`. */
  deadline: number;
  traceId: string;
}

export type WorkerMessage =
  | { type: 'ready'; initDurationMs: number }
  | { type: 'init-error'; error: LambdaError }
  | { type: 'result'; requestId: string; payloadJson: string }
  | { type: 'error'; requestId: string; error: LambdaError }
  | IamWorkerMessage;

export function toLambdaError(error: unknown, fallbackType = 'Error'): LambdaError {
  if (error instanceof Error) {
    return {
      errorType: error.name || fallbackType,
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: fallbackType, errorMessage: String(error), trace: [] };
}

/** A function invocation that ended in an error, thrown by `invokeOrThrow` callers. */
export class FunctionInvocationError extends Error {
  override name = 'FunctionInvocationError';
  constructor(
    readonly functionLogicalId: string,
    readonly lambdaError: LambdaError,
  ) {
    super(`${functionLogicalId} failed: ${lambdaError.errorType}: ${lambdaError.errorMessage}`);
  }
}

/**
 * `event => payload` for one function, throwing `FunctionInvocationError` when the invocation
 * fails: the shape event source pollers (SQS, DynamoDB streams) want, where a failed
 * invocation means "retry the batch".
 */
export function invokeOrThrow(invoker: LambdaInvoker, functionLogicalId: string): (event: unknown) => Promise<unknown> {
  return async (event) => {
    const outcome = await invoker.invoke(functionLogicalId, event);
    if (outcome.kind === 'error') throw new FunctionInvocationError(functionLogicalId, outcome.error);
    return outcome.payload;
  };
}
