import { describe, expect, it } from 'vitest';
import { api } from '../support/http.ts';

// API Gateway's own responses (before any function runs), as the template's GatewayResponses
// shape them: the client's x-correlation-id echoed, the request id in the body and in
// x-amzn-RequestId (README, "Errors").
describe('gateway responses', () => {
  it.each([
    ['a missing token', 'GET', '/orders', {}, 401],
    ['an invalid token', 'GET', '/orders', { Authorization: 'Bearer not-a-jwt' }, 401],
    ['an unknown route', 'GET', '/no-such-route', {}, 403],
    // The partner routes take an API key of the usage plan (README, "Partner API keys").
    ['a keyed route without an API key', 'GET', '/partner/products', {}, 403],
    ['a keyed route with an unknown API key', 'GET', '/partner/products', { 'x-api-key': 'not-a-key-of-this-stack-0000' }, 403],
  ])('%s: echoes the x-correlation-id sent and carries the request id', async (_, method, path, headers, status) => {
    const response = await api(method, path, { headers: { ...headers, 'x-correlation-id': 'client-trace-42' } });
    expect(response.status).toBe(status);
    expect(response.headers.get('x-correlation-id')).toBe('client-trace-42');
    const requestId = response.headers.get('x-amzn-requestid');
    expect(requestId).toEqual(expect.any(String));
    expect(response.json).toEqual({ message: expect.any(String), requestId });
  });

  it('has no x-correlation-id when the client sent none, and the request id in the body', async () => {
    const response = await api('GET', '/orders');
    expect(response.status).toBe(401);
    expect(response.headers.get('x-correlation-id')).toBeNull();
    expect(response.json).toEqual({ message: 'Unauthorized', requestId: response.headers.get('x-amzn-requestid') });
  });

  it('a function’s response carries the correlation id either way', async () => {
    const sent = await api('GET', '/products?limit=1', { headers: { 'x-correlation-id': 'client-trace-43' } });
    expect(sent.headers.get('x-correlation-id')).toBe('client-trace-43');
    const generated = await api('GET', '/products?limit=1');
    expect(generated.headers.get('x-correlation-id')).toBe(generated.headers.get('x-amzn-requestid'));
  });
});
