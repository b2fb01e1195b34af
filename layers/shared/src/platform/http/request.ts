import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from 'zod/mini';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.ts';
import { principalFromAuthorizer, type Principal } from '../auth/principal.ts';
import { parseWith } from '../validation.ts';

/** Far above any legitimate request of this API; API Gateway's own limit (10 MB) is much larger. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Case-insensitive header lookup (API Gateway passes header names as the client sent them). */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** Reads and validates a JSON body: size, media type, syntax, then the schema. */
export function jsonBody<S extends z.core.$ZodType>(event: APIGatewayProxyEvent, schema: S): z.output<S> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`The body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  if (text.trim() === '') throw ValidationError.forField('body', 'is required: send a JSON object');
  const contentType = header(event, 'content-type');
  if (contentType !== undefined && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('Send the body as application/json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw ValidationError.forField('body', 'is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw ValidationError.forField('body', 'must be a JSON object');
  }
  return parseWith(schema, parsed);
}

export const pathParameters = <S extends z.core.$ZodType>(event: APIGatewayProxyEvent, schema: S): z.output<S> =>
  parseWith(schema, event.pathParameters ?? {});

export const queryParameters = <S extends z.core.$ZodType>(event: APIGatewayProxyEvent, schema: S): z.output<S> =>
  parseWith(schema, event.queryStringParameters ?? {});

export const principalOf = (event: APIGatewayProxyEvent): Principal =>
  principalFromAuthorizer(event.requestContext?.authorizer);

/** A caller-supplied correlation id is kept if it looks sane; otherwise API Gateway's request id is used. */
export function correlationIdOf(event: APIGatewayProxyEvent): string {
  const supplied = header(event, 'x-correlation-id');
  if (supplied !== undefined && /^[\w.:-]{1,128}$/.test(supplied)) return supplied;
  return event.requestContext?.requestId ?? 'unknown';
}
