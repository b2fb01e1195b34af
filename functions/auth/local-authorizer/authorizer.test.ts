import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toApiGatewayClaims as localCloudClaims } from '#local/apigateway/cognito-authorizer.ts';
import { ANONYMOUS, createLocalAuthorizer, toApiGatewayClaims } from './authorizer.ts';

// Real RS256 tokens, verified against a JWKS served over loopback HTTP, as the authorizer fetches
// a user pool's keys.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] };

function jwt(payload: Record<string, unknown>, key = privateKey): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
}

const ISSUER = 'http://127.0.0.1:9700/local_pool';
const CLIENT_ID = 'client-1';
const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:api123/dev/GET/orders';
const now = Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'user-1',
  email: 'alice@example.com',
  email_verified: true,
  'cognito:groups': ['admin', 'support'],
  aud: CLIENT_ID,
  iss: ISSUER,
  token_use: 'id',
  auth_time: 1_680_633_579,
  iat: 1_680_633_579,
  exp: now + 3600,
  ...overrides,
});
const event = (authorizationToken: string): APIGatewayTokenAuthorizerEvent => ({ type: 'TOKEN', authorizationToken, methodArn: METHOD_ARN });

let server: Server;
let authorize: ReturnType<typeof createLocalAuthorizer>;

beforeAll(async () => {
  server = createServer((request, response) => {
    const found = request.url === '/keys.json';
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(found ? JSON.stringify(jwks) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The keys live elsewhere than the issuer says, as under sam local (the token names
  // 127.0.0.1, the container reaches the pool through host.docker.internal).
  authorize = createLocalAuthorizer({ issuer: ISSUER, clientId: CLIENT_ID, jwksUri: `http://127.0.0.1:${port}/keys.json` });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('local authorizer', () => {
  it('allows the whole stage for a valid ID token, bare or as Bearer, with the claims as the Cognito authorizer flattens them', async () => {
    for (const header of [jwt(claims()), `Bearer ${jwt(claims())}`]) {
      const result = await authorize(event(header));
      expect(result.principalId).toBe('user-1');
      expect(result.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:api123/dev/*' },
      ]);
      expect(result.context).toMatchObject({
        sub: 'user-1',
        email: 'alice@example.com',
        email_verified: 'true',
        'cognito:groups': 'admin,support',
        token_use: 'id',
        auth_time: '1680633579',
        iat: 'Tue Apr 04 18:39:39 UTC 2023',
      });
      expect(Object.values(result.context ?? {}).every((value) => typeof value === 'string')).toBe(true);
    }
  });

  it.each([
    ['no token', ''],
    ['a malformed token', 'not-a-jwt'],
    ['an access token', jwt(claims({ token_use: 'access' }))],
    ['another app client', jwt(claims({ aud: 'other-client' }))],
    ['another issuer', jwt(claims({ iss: 'http://127.0.0.1:9700/other_pool' }))],
    ['an expired token', jwt(claims({ exp: now - 60 }))],
    ['a token signed with another key', jwt(claims(), stranger)],
  ])('refuses %s: lets only this request through, with no claims, for the handler to answer 401', async (_label, header) => {
    const result = await authorize(event(header));
    expect(result.principalId).toBe(ANONYMOUS);
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }]);
    // No claims, so no `sub`: principalOf refuses the request with 401 (tests/template/sam-local-api.test.ts).
    expect(result.context).toBeUndefined();
  });
});

describe('toApiGatewayClaims', () => {
  // A copy of the local cloud's mapping, kept on purpose: this function bundles nothing from
  // outside its directory (docs/decisions.md D1), and the local cloud does not depend on a
  // function that exists only under `LocalAuthorizer=true`. This keeps the two from drifting.
  it('gives handlers the same claims as the local cloud’s Cognito authorizer', () => {
    const payload = {
      sub: 'u',
      'cognito:groups': ['admin', 'support'],
      email_verified: true,
      auth_time: 1680629979,
      iat: 1680629979,
      exp: 1680633579,
      address: { street: 'x' },
      'custom:tier': 'gold',
    };
    expect(toApiGatewayClaims(payload)).toEqual(localCloudClaims(payload));
    expect(toApiGatewayClaims(payload).exp).toBe('Tue Apr 04 18:39:39 UTC 2023');
  });
});
