import { describe, expect, it } from 'vitest';
import { gatewayResponse } from './gateway-responses.ts';

describe('gatewayResponse', () => {
  it('sends API Gateway\'s default status, message and error type', () => {
    const reply = gatewayResponse('MISSING_AUTHENTICATION_TOKEN', {}, 'req-1');
    expect(reply.statusCode).toBe(403);
    expect(JSON.parse(reply.body.toString())).toEqual({ message: 'Missing Authentication Token' });
    expect(reply.headers['x-amzn-ErrorType']).toEqual(['MissingAuthenticationTokenException']);
    expect(reply.headers['x-amzn-RequestId']).toEqual(['req-1']);
  });

  it('applies the specific customisation first, then DEFAULT_4XX / DEFAULT_5XX', () => {
    const custom = {
      UNAUTHORIZED: { statusCode: undefined, headers: { 'X-Specific': 'yes' } },
      DEFAULT_4XX: { statusCode: undefined, headers: { 'Access-Control-Allow-Origin': '*' } },
      DEFAULT_5XX: { statusCode: 503, headers: { 'X-Five': 'yes' } },
    };
    expect(gatewayResponse('UNAUTHORIZED', custom, 'r').headers['X-Specific']).toEqual(['yes']);
    expect(gatewayResponse('EXPIRED_TOKEN_UNAUTHORIZED', custom, 'r').headers['X-Specific']).toEqual(['yes']);
    expect(gatewayResponse('MISSING_AUTHENTICATION_TOKEN', custom, 'r').headers['Access-Control-Allow-Origin']).toEqual(['*']);
    const failure = gatewayResponse('INTEGRATION_FAILURE', custom, 'r');
    expect([failure.statusCode, failure.headers['X-Five']]).toEqual([503, ['yes']]);
  });

  it('never customises REQUEST_TOO_LARGE, as AWS does not', () => {
    const reply = gatewayResponse('REQUEST_TOO_LARGE', { DEFAULT_4XX: { statusCode: 400, headers: { A: 'b' } } }, 'r');
    expect([reply.statusCode, reply.headers.A]).toEqual([413, undefined]);
  });
});
