import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readFunctionDefinitions } from '../lambda/from-template.ts';
import type { LambdaInvoker } from '../lambda/invocation.ts';
import { LocalLambdaService } from '../lambda/lambda-service.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { loadTemplate } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { readApiDefinitions } from './from-template.ts';
import { startApiServer } from './api-server.ts';
import { createCognitoAuthorizer } from './cognito-authorizer.ts';
import { createTestSigner, idTokenClaims } from '../../test-support/test-tokens.ts';
import { ManualClock } from '../core/clock.ts';
import { localApiKeyFor, UsagePlanLimiter } from './usage-plan.ts';

const ISSUER = 'http://127.0.0.1:9/local_test';
const CLIENT = 'client-1';

// The whole local API Gateway over real HTTP, with the fixture functions in real workers and
// a test signing key standing in for cognito-local.
async function startFixtureApi(overrides: { lambda?: LambdaInvoker; integrationTimeoutMs?: number } = {}) {
  const { template, directory } = await loadTemplate(fileURLToPath(new URL('./fixtures/template.yaml', import.meta.url)));
  const resolver = createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) });
  const functions = readFunctionDefinitions(template, resolver, directory);
  const [api] = readApiDefinitions(template, resolver, functions);
  const lambda = new LocalLambdaService({ functions, region: 'us-east-1', accountId: '000000000000', serviceEndpoints: {} });
  const signer = createTestSigner();
  const errors: string[] = [];
  // The usage plan's time stands still unless a test moves it.
  const clock = new ManualClock(Date.UTC(2026, 10, 30, 12));
  const apiKey = localApiKeyFor(api!.usagePlan!);
  const server = await startApiServer({
    api: api!,
    lambda: overrides.lambda ?? lambda,
    authorizers: { Cognito: createCognitoAuthorizer([{ issuer: ISSUER, clientIds: [CLIENT], jwks: signer.jwks }]) },
    usagePlan: new UsagePlanLimiter(api!.usagePlan!, [apiKey], clock),
    host: '127.0.0.1',
    port: 0,
    accountId: '000000000000',
    integrationTimeoutMs: overrides.integrationTimeoutMs,
    onIntegrationError: (message) => errors.push(message),
  });
  return {
    url: server.url,
    errors,
    clock,
    apiKey,
    token: (claims: Record<string, unknown> = {}) => signer.token(idTokenClaims(ISSUER, CLIENT, claims)),
    stop: async () => {
      await server.close();
      await lambda.stop();
    },
  };
}

describe('the local API server', async () => {
  const api = await startFixtureApi();
  afterAll(() => api.stop());

  const call = async (method: string, path: string, init: RequestInit = {}) => {
    const response = await fetch(`${api.url}${path}`, { method, ...init });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  };

  it('serves a public route without a token, passing the proxy event to the handler', async () => {
    const response = await call('GET', '/public/widgets?x=1');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      resource: '/public/{name}',
      httpMethod: 'GET',
      pathParameters: { name: 'widgets' },
      queryStringParameters: { x: '1' },
      requestContext: { stage: 'test', resourcePath: '/public/{name}', path: '/test/public/widgets' },
    });
    expect(response.json.requestContext.authorizer).toBeUndefined();
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('x-amzn-requestid')).toBe(response.json.requestContext.requestId);
  });

  it('refuses a protected route without a token or with a bad one', async () => {
    for (const headers of [{}, { Authorization: 'not-a-token' }]) {
      const response = await call('GET', '/me', { headers });
      expect(response.status).toBe(401);
      expect(response.json).toEqual({ message: 'Unauthorized' });
      // The template's DEFAULT_4XX gateway response adds the CORS origin.
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    }
  });

  it('says so when the token has expired', async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    const response = await call('GET', '/me', { headers: { Authorization: api.token({ iat: past, exp: past + 60 }) } });
    expect([response.status, response.json]).toEqual([401, { message: 'The incoming token has expired' }]);
  });

  it('passes the claims of a valid token to the handler as strings', async () => {
    const response = await call('GET', '/me', { headers: { Authorization: `Bearer ${api.token()}` } });
    expect(response.status).toBe(200);
    expect(response.json.requestContext.authorizer.claims).toMatchObject({
      sub: 'user-1',
      email: 'alice@example.com',
      email_verified: 'true',
      'cognito:groups': 'admin,support',
    });
  });

  it('answers unknown routes and unknown methods with 403 Missing Authentication Token', async () => {
    for (const [method, path] of [['GET', '/nowhere'], ['DELETE', '/me']] as const) {
      const response = await call(method, path);
      expect([response.status, response.json]).toEqual([403, { message: 'Missing Authentication Token' }]);
      expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    }
  });

  it('answers CORS preflight from the Api Cors settings without a token', async () => {
    const response = await call('OPTIONS', '/me', { headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'GET' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type');
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('turns a handler error into 502 Internal server error and keeps the detail on the server', async () => {
    const response = await call('GET', '/boom');
    expect([response.status, response.json]).toEqual([502, { message: 'Internal server error' }]);
    expect(response.text).not.toContain('secret');
    expect(api.errors.some((error) => error.includes('FailsFunction failed: Error: secret database detail'))).toBe(true);
  });

  it('turns a malformed proxy result into 502 and explains why on the server', async () => {
    const response = await call('GET', '/malformed');
    expect([response.status, response.json]).toEqual([502, { message: 'Internal server error' }]);
    expect(api.errors.some((error) => error.includes('body is an object'))).toBe(true);
  });

  it('refuses payloads above 10 MB with 413', async () => {
    const response = await call('POST', '/upload', { body: Buffer.alloc(10 * 1024 * 1024 + 1, 'a') });
    expect([response.status, response.json]).toEqual([413, { message: 'Request Too Long' }]);
  });

  it('base64-encodes binary media types for the handler', async () => {
    const response = await call('POST', '/upload', { body: Buffer.from([0xff, 0x00]), headers: { 'Content-Type': 'image/png' } });
    expect([response.json.body, response.json.isBase64Encoded]).toEqual(['/wA=', true]);
  });

  it('holds a keyed route to its usage plan: 403 without a valid key, the key in the event, 429 past the burst and past the quota', async () => {
    // The fixture's plan: 1 request per second, burst 3, 5 a day.
    for (const headers of [{}, { 'x-api-key': 'local-ApiApiKey-nope' }]) {
      const refused = await call('GET', '/keyed/a', { headers: { ...headers, 'x-correlation-id': 'corr-1' } });
      expect([refused.status, refused.json]).toEqual([403, { message: 'Forbidden' }]);
      expect(refused.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
      // The template's DEFAULT_4XX applies, as to every gateway response.
      expect(refused.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    }
    const headers = { 'x-api-key': api.apiKey.value };
    const first = await call('GET', '/keyed/a', { headers });
    expect(first.status).toBe(200);
    expect(first.json.requestContext.identity).toMatchObject({ apiKey: 'local-ApiApiKey', apiKeyId: 'ApiApiKey' });

    const statuses = await Promise.all(Array.from({ length: 4 }, () => call('GET', '/keyed/a', { headers })));
    expect(statuses.map((response) => response.status).sort()).toEqual([200, 200, 429, 429]);
    const throttled = statuses.find((response) => response.status === 429)!;
    expect([throttled.json, throttled.headers.get('x-amzn-errortype')]).toEqual([{ message: 'Too Many Requests' }, 'TooManyRequestsException']);

    api.clock.advance(2000); // two more tokens; the quota has 2 of 5 left
    expect((await call('GET', '/keyed/a', { headers })).status).toBe(200);
    expect((await call('GET', '/keyed/a', { headers })).status).toBe(200);
    api.clock.advance(3000);
    const overQuota = await call('GET', '/keyed/a', { headers });
    expect([overQuota.status, overQuota.json, overQuota.headers.get('x-amzn-errortype')]).toEqual([
      429,
      { message: 'Limit Exceeded' },
      'LimitExceededException',
    ]);
    // Routes without ApiKeyRequired ignore keys and plans alike.
    expect((await call('GET', '/public/x', { headers })).status).toBe(200);
  });

  it('routes greedy paths', async () => {
    const response = await call('PATCH', '/files/a/b%20c.txt');
    expect(response.json.pathParameters).toEqual({ proxy: 'a/b c.txt' });
  });
});

describe('the local API server with a slow integration', () => {
  it('answers 504 when the function outlives the integration timeout', async () => {
    const never: LambdaInvoker = { invoke: () => new Promise(() => {}) };
    const api = await startFixtureApi({ lambda: never, integrationTimeoutMs: 50 });
    try {
      const response = await fetch(`${api.url}/public/x`);
      expect([response.status, await response.json()]).toEqual([504, { message: 'Endpoint request timed out' }]);
    } finally {
      await api.stop();
    }
  });
});
