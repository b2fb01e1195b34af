import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { Jwks } from 'aws-jwt-verify/jwk';

/**
 * A signing key and RS256 tokens for authorizer tests, so they need no running Cognito.
 * (Test support only: imported by `*.test.ts` files.)
 */
export interface TestSigner {
  jwks: Jwks;
  token(payload: Record<string, unknown>, kid?: string): string;
}

export function createTestSigner(kid = 'test-key'): TestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid, alg: 'RS256', use: 'sig' };
  return {
    jwks: { keys: [jwk] } as unknown as Jwks,
    token: (payload, keyId = kid) => signJwt(payload, privateKey, keyId),
  };
}

function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', kid, typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
}

export function idTokenClaims(issuer: string, clientId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'user-1',
    'cognito:username': 'user-1',
    email: 'alice@example.com',
    email_verified: true,
    'cognito:groups': ['admin', 'support'],
    aud: clientId,
    iss: issuer,
    token_use: 'id',
    auth_time: now,
    iat: now,
    exp: now + 3600,
    ...overrides,
  };
}
