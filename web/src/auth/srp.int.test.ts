import { describe, expect, inject, it } from 'vitest';
import { CognitoError, srpAuthenticate } from './srp.ts';

/** srp.ts against the local Cognito (whose USER_SRP_AUTH is checked against AWS's reference client). */
const config = { endpoint: inject('cognitoEndpoint'), userPoolId: inject('userPoolId'), clientId: inject('clientId') };
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('srpAuthenticate', () => {
  it('signs alice in and returns her ID, access and refresh tokens', async () => {
    const tokens = await srpAuthenticate(config, 'alice@example.com', inject('password'));

    expect(claims(tokens.IdToken)).toMatchObject({ email: 'alice@example.com', aud: config.clientId, token_use: 'id' });
    expect(claims(tokens.AccessToken)).toMatchObject({ token_use: 'access', client_id: config.clientId });
    expect(tokens.RefreshToken).not.toBe('');
    // The template's AccessTokenValidity: 60 minutes.
    expect(tokens.ExpiresIn).toBe(3600);
  });

  it('signs the admin in with the admin group in the ID token', async () => {
    const tokens = await srpAuthenticate(config, 'admin@example.com', inject('password'));

    expect(claims(tokens.IdToken)['cognito:groups']).toEqual(['admin']);
  });

  it('rejects a wrong password with Cognito\'s NotAuthorizedException', async () => {
    const failure = srpAuthenticate(config, 'alice@example.com', 'Passw0rd!Wrong');

    await expect(failure).rejects.toBeInstanceOf(CognitoError);
    await expect(failure).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 });
  });
});
