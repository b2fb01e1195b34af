import type { GatewayResponseDefinition, RequestValue } from './from-template.ts';
import type { HttpReply } from './http-reply.ts';

/** The responses API Gateway itself sends, with their default status, message and error type. */
const GATEWAY_RESPONSES = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  EXPIRED_TOKEN_UNAUTHORIZED: { status: 401, message: 'The incoming token has expired', errorType: 'UnauthorizedException' },
  // A keyed route (ApiKeyRequired) called without a key of its usage plan, or with an unknown one.
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  // The key's usage plan: over its rate and burst, or over its quota for the period.
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLargeException' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: 'InternalServerErrorException' },
  // A Lambda error or a malformed proxy result: what clients see as 502.
  INTEGRATION_FAILURE: { status: 502, message: 'Internal server error', errorType: 'InternalServerErrorException' },
} as const;

export type GatewayResponseType = keyof typeof GATEWAY_RESPONSES;

/** The parts of the method request a gateway response can map into its headers. */
export interface GatewayRequest {
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  query: URLSearchParams;
  path?: Record<string, string>;
}

function requestValue(source: RequestValue, request: GatewayRequest | undefined): string | undefined {
  if (request === undefined) return undefined;
  if (source.location === 'header') return request.headers[source.name.toLowerCase()];
  if (source.location === 'querystring') return request.query.get(source.name) ?? undefined;
  return request.path?.[source.name];
}

/**
 * The few `$context` variables a gateway response template can use that matter here; any
 * other variable renders empty, as an unknown reference does in AWS.
 */
function renderTemplate(template: string, values: { requestId: string; message: string; responseType: string }): string {
  return template.replace(/\$(?:\{context\.([\w.]+)\}|context\.([\w.]+))/g, (_, braced?: string, bare?: string) => {
    const name = braced ?? bare;
    if (name === 'requestId') return values.requestId;
    if (name === 'error.messageString') return JSON.stringify(values.message);
    if (name === 'error.message') return values.message;
    if (name === 'error.responseType') return values.responseType;
    return '';
  });
}

/**
 * The reply for one of API Gateway's own responses, with the API's `GatewayResponses`
 * customisation applied: the specific type first, else DEFAULT_4XX / DEFAULT_5XX. Headers may
 * be static or mapped from the request (absent when the request has no such value), and an
 * `application/json` template replaces the default `{"message": …}` body.
 */
export function gatewayResponse(
  type: GatewayResponseType,
  customised: Record<string, GatewayResponseDefinition>,
  requestId: string,
  request?: GatewayRequest,
): HttpReply {
  const defaults = GATEWAY_RESPONSES[type];
  // The expired-token variant is an UNAUTHORIZED response with another message.
  const customType = type === 'EXPIRED_TOKEN_UNAUTHORIZED' ? 'UNAUTHORIZED' : type;
  const family = defaults.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  // AWS does not (yet) apply customisations to REQUEST_TOO_LARGE (API Gateway developer guide,
  // "Gateway response types"): its 413 has only the default body and x-amzn-RequestId.
  const custom = type === 'REQUEST_TOO_LARGE' ? undefined : (customised[customType] ?? customised[family]);
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(custom?.headers ?? {})) headers[name] = [value];
  for (const [name, source] of Object.entries(custom?.mappedHeaders ?? {})) {
    const value = requestValue(source, request);
    if (value !== undefined && value !== '') headers[name] = [value];
  }
  const template = custom?.templates?.['application/json'];
  const body =
    template === undefined
      ? JSON.stringify({ message: defaults.message })
      : renderTemplate(template, { requestId, message: defaults.message, responseType: customType });
  return {
    statusCode: custom?.statusCode ?? defaults.status,
    headers: {
      'Content-Type': ['application/json'],
      ...headers,
      'x-amzn-RequestId': [requestId],
      'x-amzn-ErrorType': [defaults.errorType],
    },
    body: Buffer.from(body),
  };
}
