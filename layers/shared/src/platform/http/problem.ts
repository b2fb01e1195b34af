import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import { AppError, ConflictError, IdempotencyKeyReusedError, type FieldProblem } from '../errors.ts';

/** An RFC 9457 problem document. Never carries stack traces or internal messages. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
}

/** Errors raised by libraries that are really the client's doing, translated to ours. */
function translate(error: unknown): unknown {
  if (error instanceof IdempotencyValidationError) {
    return new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different request body');
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly');
  }
  return error;
}

/**
 * DynamoDB refused a request as malformed (a ValidationException): a value reached it that the
 * code should have refused as bad input (a 400) or never built. Retrying sends the same request
 * again, so it is a defect to fix, not a failure to retry.
 */
function isDefect(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ValidationException';
}

/** How the HTTP wrapper should treat an error: a client's mistake, a failure worth retrying, or a defect of ours. */
export type ProblemKind = 'expected' | 'failure' | 'defect';

const internalProblem = (detail: string, instance: string | undefined): Problem => ({
  type: 'urn:orders:problem:internal',
  title: 'Internal server error',
  status: 500,
  detail,
  ...(instance === undefined ? {} : { instance }),
});

/** The single error-to-HTTP mapping. Anything that is not an AppError is a 500 with no details. */
export function toProblem(error: unknown, instance?: string): { problem: Problem; expected: boolean; kind: ProblemKind } {
  const translated = translate(error);
  if (translated instanceof AppError) {
    const problem: Problem = {
      type: translated.type,
      title: translated.title,
      status: translated.status,
      detail: translated.message,
      ...(instance === undefined ? {} : { instance }),
      ...('errors' in translated ? { errors: translated.errors as FieldProblem[] } : {}),
    };
    return { problem, expected: true, kind: 'expected' };
  }
  if (isDefect(translated)) {
    return {
      problem: internalProblem(
        'The request could not be completed because of a fault in this service; retrying will not help. Quote the correlation id when reporting it.',
        instance,
      ),
      expected: false,
      kind: 'defect',
    };
  }
  return {
    problem: internalProblem('The request could not be completed. It is safe to retry; quote the correlation id if it persists.', instance),
    expected: false,
    kind: 'failure',
  };
}
