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

  it('maps headers from the request and leaves them out when the request has none', () => {
    const custom = {
      DEFAULT_4XX: {
        statusCode: undefined,
        headers: { 'Access-Control-Allow-Origin': '*' },
        mappedHeaders: {
          'x-correlation-id': { location: 'header' as const, name: 'X-Correlation-Id' },
          'x-page': { location: 'querystring' as const, name: 'page' },
          'x-order': { location: 'path' as const, name: 'orderId' },
        },
      },
    };
    const request = { headers: { 'x-correlation-id': 'trace-1' }, query: new URLSearchParams('page=2'), path: { orderId: 'o-1' } };
    const reply = gatewayResponse('UNAUTHORIZED', custom, 'r', request);
    expect(reply.headers['x-correlation-id']).toEqual(['trace-1']);
    expect(reply.headers['x-page']).toEqual(['2']);
    expect(reply.headers['x-order']).toEqual(['o-1']);
    const without = gatewayResponse('UNAUTHORIZED', custom, 'r', { headers: {}, query: new URLSearchParams() });
    expect(Object.keys(without.headers)).not.toContain('x-correlation-id');
    expect(without.headers['Access-Control-Allow-Origin']).toEqual(['*']);
  });

  it('renders an application/json template with the context variables it uses', () => {
    const custom = {
      DEFAULT_4XX: {
        statusCode: undefined,
        headers: {},
        templates: { 'application/json': '{"message":$context.error.messageString,"requestId":"$context.requestId","type":"${context.error.responseType}","x":"$context.unknown"}' },
      },
    };
    const reply = gatewayResponse('EXPIRED_TOKEN_UNAUTHORIZED', custom, 'req-9');
    expect(JSON.parse(reply.body.toString())).toEqual({ message: 'The incoming token has expired', requestId: 'req-9', type: 'UNAUTHORIZED', x: '' });
  });

  it('keeps the default body and no mapped headers on REQUEST_TOO_LARGE', () => {
    const custom = {
      DEFAULT_4XX: {
        statusCode: undefined,
        headers: {},
        mappedHeaders: { 'x-correlation-id': { location: 'header' as const, name: 'x-correlation-id' } },
        templates: { 'application/json': '{"requestId":"$context.requestId"}' },
      },
    };
    const reply = gatewayResponse('REQUEST_TOO_LARGE', custom, 'r', { headers: { 'x-correlation-id': 't' }, query: new URLSearchParams() });
    expect(JSON.parse(reply.body.toString())).toEqual({ message: 'Request Too Long' });
    expect(reply.headers['x-correlation-id']).toBeUndefined();
  });
});
