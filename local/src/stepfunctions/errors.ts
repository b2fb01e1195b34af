import { AwsError } from '../core/aws-error.ts';

/**
 * The two kinds of error in the local Step Functions service:
 *
 * - `SfnError`: an API call failed (`ExecutionAlreadyExists`, `TaskTimedOut`, …). The server
 *   answers it as AWS does, `{ "__type": ..., "message": ... }` with a 400.
 * - `StateError`: a state failed inside an execution (`OutOfStock`, `States.Timeout`,
 *   `DynamoDB.ConditionalCheckFailedException`, …). aws-local-stepfunctions matches `Retry` and
 *   `Catch` on an error's `name` and reports its `message` as the `Cause`, so that is the shape.
 */

export type SfnErrorType =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException';

export class SfnError extends AwsError {
  override name = 'SfnError';
  constructor(type: SfnErrorType, message: string, statusCode = 400) {
    super(type, statusCode, message);
  }

  get type(): SfnErrorType {
    return this.code as SfnErrorType;
  }
}

export class StateError extends Error {
  /**
   * `retryable: false, catchable: false` mark errors that end the execution whatever its
   * `Retry`/`Catch` say, like `States.Runtime` in AWS; aws-local-stepfunctions reads these flags.
   */
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;

  constructor(error: string, cause: string, { retryable = true, catchable = true } = {}) {
    // No `{ cause }` option: the library reports `error.cause ?? error.message` as the Cause.
    super(cause);
    this.name = error;
    this.isRetryable = retryable;
    this.isCatchable = catchable;
  }
}

/** An error that ends the execution, as `States.Runtime` does (no Retry or Catch applies). */
export function runtimeError(cause: string): StateError {
  return new StateError('States.Runtime', cause, { retryable: false, catchable: false });
}

/**
 * How an execution failed, from the library's error name and message. A Fail state without
 * `Error`/`Cause` fails the execution with neither; the library fills in placeholders, dropped here.
 */
export function executionFailure(error: string, cause: string): { error?: string; cause?: string } {
  return {
    ...(error !== 'FailStateError' && { error }),
    ...(cause !== 'Execution failed because of a Fail state' && { cause }),
  };
}
