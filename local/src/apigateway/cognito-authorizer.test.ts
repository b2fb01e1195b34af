import { describe, expect, it } from 'vitest';
import { createCognitoAuthorizer, toApiGatewayClaims } from './cognito-authorizer.ts';
import { createTestSigner, idTokenClaims } from '../../test-support/test-tokens.ts';

const ISSUER = 'http://127.0.0.1:9229/local_pool';
const CLIENT = 'client-1';
const signer = createTestSigner();
const authorizer = createCognitoAuthorizer([{ issuer: ISSUER, clientIds: [CLIENT], jwks: signer.jwks }]);

describe('createCognitoAuthorizer', () => {
  it('accepts a valid ID token, bare or with a Bearer prefix', () => {
    const token = signer.token(idTokenClaims(ISSUER, CLIENT));
    expect(authorizer.authorize(token)).toMatchObject({ allowed: true, claims: { sub: 'user-1' } });
    expect(authorizer.authorize(`Bearer ${token}`)).toMatchObject({ allowed: true });
    expect(authorizer.authorize(`bearer ${token}`)).toMatchObject({ allowed: true });
  });

  it('refuses a missing or empty header', () => {
    expect(authorizer.authorize(undefined)).toEqual({ allowed: false, reason: 'missing' });
    expect(authorizer.authorize('  ')).toEqual({ allowed: false, reason: 'missing' });
  });

  it.each([
    ['garbage', () => 'not-a-jwt'],
    ['another issuer', () => signer.token(idTokenClaims('http://127.0.0.1:9229/other_pool', CLIENT))],
    ['another audience', () => signer.token(idTokenClaims(ISSUER, 'other-client'))],
    ['an access token', () => signer.token(idTokenClaims(ISSUER, CLIENT, { token_use: 'access' }))],
    ['an unknown signing key', () => createTestSigner().token(idTokenClaims(ISSUER, CLIENT))],
    ['a tampered payload', () => {
      const [header, , signature] = signer.token(idTokenClaims(ISSUER, CLIENT)).split('.');
      const forged = Buffer.from(JSON.stringify(idTokenClaims(ISSUER, CLIENT, { sub: 'someone-else' }))).toString('base64url');
      return `${header}.${forged}.${signature}`;
    }],
  ])('refuses %s', (_name, token) => {
    expect(authorizer.authorize(token())).toEqual({ allowed: false, reason: 'invalid' });
  });

  it('tells an expired token apart, as API Gateway does', () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    const token = signer.token(idTokenClaims(ISSUER, CLIENT, { iat: past, auth_time: past, exp: past + 3600 }));
    expect(authorizer.authorize(token)).toEqual({ allowed: false, reason: 'expired' });
  });

  it('applies the identity validation expression before verifying', () => {
    const strict = createCognitoAuthorizer([{ issuer: ISSUER, clientIds: [CLIENT], jwks: signer.jwks }], 'nothing-matches');
    expect(strict.authorize(signer.token(idTokenClaims(ISSUER, CLIENT)))).toEqual({ allowed: false, reason: 'invalid' });
  });
});

describe('toApiGatewayClaims', () => {
  it('flattens every claim to a string the way the REST API authorizer does', () => {
    expect(
      toApiGatewayClaims({
        sub: 'u',
        'cognito:groups': ['admin', 'support'],
        email_verified: true,
        auth_time: 1680629979,
        iat: 1680629979,
        exp: 1680633579,
        address: { street: 'x' },
      }),
    ).toEqual({
      sub: 'u',
      'cognito:groups': 'admin,support',
      email_verified: 'true',
      auth_time: '1680629979',
      iat: 'Tue Apr 04 17:39:39 UTC 2023',
      exp: 'Tue Apr 04 18:39:39 UTC 2023',
      address: '{"street":"x"}',
    });
  });
});
