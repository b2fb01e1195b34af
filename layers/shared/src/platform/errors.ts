/**
 * The one error hierarchy of the application's requests. The use cases, domain rules and
 * repositories behind the API (and input validation of every kind) throw these; the HTTP
 * wrapper (http/problem.ts) is the only place that turns them into status codes. The saga's
 * steps throw the named errors of fulfilment/errors.ts instead, which its state machine matches.
 */
export interface FieldProblem {
  /** Where the problem is, as a JSON-pointer-like path: `items[0].quantity`, `header:Idempotency-Key`. */
  field: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** A stable, documented identifier of the kind of problem (RFC 9457 `type`). */
  abstract readonly type: string;

  constructor(detail: string) {
    super(detail);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly title = 'Invalid request';
  readonly type = 'urn:orders:problem:validation';

  constructor(readonly errors: FieldProblem[]) {
    super(errors.map((problem) => `${problem.field}: ${problem.message}`).join('; '));
  }

  static forField(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  readonly type = 'urn:orders:problem:unauthorized';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly title = 'Forbidden';
  readonly type = 'urn:orders:problem:forbidden';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly title = 'Not found';
  readonly type = 'urn:orders:problem:not-found';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
  readonly type = 'urn:orders:problem:conflict';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly title = 'Payload too large';
  readonly type = 'urn:orders:problem:payload-too-large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
  readonly type = 'urn:orders:problem:unsupported-media-type';
}

/** The Idempotency-Key was already used for a request with a different body. */
export class IdempotencyKeyReusedError extends AppError {
  readonly status = 422;
  readonly title = 'Idempotency key reused';
  readonly type = 'urn:orders:problem:idempotency-key-reused';
}
