/**
 * What went wrong with a request, in the terms the UI shows: the API's problem+json
 * (`{type, title, status, detail, errors: [{field, message}]}`), API Gateway's own
 * `{message, requestId}`, or no answer at all.
 */
import type { components } from './schema';

export type Problem = components['schemas']['Problem'];

export class ApiError extends Error {
  constructor(
    /** The HTTP status; 0 when no answer arrived (offline, DNS, CORS). */
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail);
    this.name = 'ApiError';
  }

  get isNetworkFailure(): boolean {
    return this.status === 0;
  }
}

/** Turns any error body into a Problem, so the UI has one shape to show. */
export function toProblem(status: number, body: unknown): Problem {
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    if (typeof record.title === 'string' && typeof record.detail === 'string') return body as Problem;
    // API Gateway's own answers (401, 403 for an unknown route, 413, 429, 5xx).
    if (typeof record.message === 'string') {
      const requestId = typeof record.requestId === 'string' ? ` (request id ${record.requestId})` : '';
      return { type: 'urn:orders:problem:gateway', title: record.message, status, detail: `${record.message}${requestId}` };
    }
  }
  return { type: 'about:blank', title: `HTTP ${status}`, status, detail: `The API answered ${status}.` };
}

export const networkProblem = (): Problem => ({
  type: 'urn:orders:problem:network',
  title: 'No answer from the API',
  status: 0,
  detail: 'The API could not be reached. Check your connection and try again.',
});

/** The field errors of a problem, one message per field (several joined), keyed by the API's field path. */
export function fieldErrors(problem: Problem | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const { field, message } of problem?.errors ?? []) {
    result[field] = result[field] === undefined ? message : `${result[field]}; ${message}`;
  }
  return result;
}

/**
 * The field errors no input on the form shows (say `body`, or `items[3].quantity` on a form
 * without line inputs), as "field: message" lines for a summary above the form.
 */
export function unplacedFieldErrors(problem: Problem | undefined, shownFields: readonly string[]): string[] {
  return Object.entries(fieldErrors(problem))
    .filter(([field]) => !shownFields.includes(field))
    .map(([field, message]) => `${field}: ${message}`);
}

/** What the user should read for an error that is not about one field. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  switch (error.status) {
    case 0:
      return error.problem.detail;
    case 403:
      return `You are not allowed to do this: ${error.problem.detail}`;
    default:
      return error.problem.detail;
  }
}
