import { describe, expect, it } from 'vitest';
import { buildProxyEvent, type EventContext, formatRequestTime, isBinaryMediaType, type ReceivedRequest } from './proxy-event.ts';

const request = (overrides: Partial<ReceivedRequest> = {}): ReceivedRequest => ({
  method: 'post',
  url: '/products/p-1/stock?dryRun=true&tag=a&tag=b',
  rawHeaders: ['Host', '127.0.0.1:3000', 'Content-Type', 'application/json', 'X-Custom', 'one', 'x-custom', 'two', 'User-Agent', 'curl/8'],
  body: Buffer.from('{"stock":5}'),
  sourceIp: '127.0.0.1',
  ...overrides,
});

const context = (overrides: Partial<EventContext> = {}): EventContext => ({
  route: { method: 'POST', resourcePath: '/products/{productId}/stock', functionLogicalId: 'Fn', authorizer: 'Cognito', apiKeyRequired: false },
  pathParameters: { productId: 'p-1' },
  apiId: 'ordersapi',
  stage: 'dev',
  accountId: '000000000000',
  requestId: 'req-1',
  receivedAt: new Date(Date.UTC(2025, 10, 22, 9, 5, 7)),
  claims: { sub: 'user-1', 'cognito:groups': 'admin' },
  binaryMediaTypes: [],
  ...overrides,
});

describe('buildProxyEvent', () => {
  const event = buildProxyEvent(request(), context());

  it('fills the top-level REST proxy fields', () => {
    expect(event).toMatchObject({
      resource: '/products/{productId}/stock',
      path: '/products/p-1/stock',
      httpMethod: 'POST',
      pathParameters: { productId: 'p-1' },
      queryStringParameters: { dryRun: 'true', tag: 'b' },
      multiValueQueryStringParameters: { dryRun: ['true'], tag: ['a', 'b'] },
      stageVariables: null,
      body: '{"stock":5}',
      isBase64Encoded: false,
    });
  });

  it('keeps header case, the last value in headers and all values in multiValueHeaders', () => {
    expect(event.headers).toMatchObject({ Host: '127.0.0.1:3000', 'Content-Type': 'application/json', 'X-Custom': 'two' });
    expect(event.multiValueHeaders['X-Custom']).toEqual(['one', 'two']);
  });

  it('adds the forwarding and trace headers API Gateway adds', () => {
    expect(event.headers).toMatchObject({ 'X-Forwarded-For': '127.0.0.1', 'X-Forwarded-Port': '3000', 'X-Forwarded-Proto': 'http' });
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('fills the request context, with the claims under authorizer.claims', () => {
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: 'ordersapi',
      authorizer: { claims: { sub: 'user-1', 'cognito:groups': 'admin' } },
      httpMethod: 'POST',
      identity: { sourceIp: '127.0.0.1', userAgent: 'curl/8', cognitoIdentityId: null },
      path: '/dev/products/p-1/stock',
      protocol: 'HTTP/1.1',
      requestId: 'req-1',
      requestTime: '22/Nov/2025:09:05:07 +0000',
      requestTimeEpoch: Date.UTC(2025, 10, 22, 9, 5, 7),
      resourcePath: '/products/{productId}/stock',
      stage: 'dev',
    });
    expect(event.requestContext.resourceId).toMatch(/^[0-9a-f]{6}$/);
  });

  it('leaves the authorizer out of public routes and nulls empty parts', () => {
    const bare = buildProxyEvent(request({ url: '/products', body: Buffer.alloc(0) }), context({ claims: undefined, pathParameters: {} }));
    expect(bare.requestContext.authorizer).toBeUndefined();
    expect(bare).toMatchObject({ queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, body: null });
  });

  it('base64-encodes bodies of the API\'s binary media types', () => {
    const binary = buildProxyEvent(
      request({ rawHeaders: ['Content-Type', 'image/png'], body: Buffer.from([0xff, 0x00]) }),
      context({ binaryMediaTypes: ['image/png'] }),
    );
    expect([binary.body, binary.isBase64Encoded]).toEqual(['/wA=', true]);
  });
});

describe('isBinaryMediaType', () => {
  it('matches exact types, wildcards and ignores parameters', () => {
    expect(isBinaryMediaType('image/png; charset=x', ['image/png'])).toBe(true);
    expect(isBinaryMediaType('image/jpeg', ['image/*'])).toBe(true);
    expect(isBinaryMediaType('application/json', ['*/*'])).toBe(true);
    expect(isBinaryMediaType('application/json', ['image/*'])).toBe(false);
    expect(isBinaryMediaType(undefined, ['*/*'])).toBe(false);
  });
});

describe('formatRequestTime', () => {
  it('pads like $context.requestTime', () => {
    expect(formatRequestTime(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('02/Jan/2025:03:04:05 +0000');
  });
});
