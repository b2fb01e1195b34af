import { AppError, type FieldProblem } from '../errors.ts';

/** An RFC 9457 problem document. Never carries stack traces or internal messages. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
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
  // Errors a library raises that are really the client's doing are translated to ours where the
  // library is used (zod's in platform/validation.ts), so this mapping knows only our own.
  if (error instanceof AppError) {
    const problem: Problem = {
      type: error.type,
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(instance === undefined ? {} : { instance }),
      ...('errors' in error ? { errors: error.errors as FieldProblem[] } : {}),
    };
    return { problem, expected: true, kind: 'expected' };
  }
  if (isDefect(error)) {
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
