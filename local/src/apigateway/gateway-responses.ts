import type { GatewayResponseDefinition } from './from-template.ts';
import { type HttpReply, jsonReply } from './http-reply.ts';

/** The responses API Gateway itself sends, with their default status, message and error type. */
const GATEWAY_RESPONSES = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  EXPIRED_TOKEN_UNAUTHORIZED: { status: 401, message: 'The incoming token has expired', errorType: 'UnauthorizedException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLargeException' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: 'InternalServerErrorException' },
  // A Lambda error or a malformed proxy result: what clients see as 502.
  INTEGRATION_FAILURE: { status: 502, message: 'Internal server error', errorType: 'InternalServerErrorException' },
} as const;

export type GatewayResponseType = keyof typeof GATEWAY_RESPONSES;

/**
 * The reply for one of API Gateway's own responses, with the API's `GatewayResponses`
 * customisation applied: the specific type first, else DEFAULT_4XX / DEFAULT_5XX.
 */
export function gatewayResponse(
  type: GatewayResponseType,
  customised: Record<string, GatewayResponseDefinition>,
  requestId: string,
): HttpReply {
  const defaults = GATEWAY_RESPONSES[type];
  // The expired-token variant is an UNAUTHORIZED response with another message.
  const customType = type === 'EXPIRED_TOKEN_UNAUTHORIZED' ? 'UNAUTHORIZED' : type;
  const family = defaults.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  // AWS does not (yet) apply customisations to REQUEST_TOO_LARGE.
  const custom = type === 'REQUEST_TOO_LARGE' ? undefined : (customised[customType] ?? customised[family]);
  const headers = Object.fromEntries(Object.entries(custom?.headers ?? {}).map(([name, value]) => [name, [value]]));
  return jsonReply(custom?.statusCode ?? defaults.status, { message: defaults.message }, {
    ...headers,
    'x-amzn-RequestId': [requestId],
    'x-amzn-ErrorType': [defaults.errorType],
  });
}
