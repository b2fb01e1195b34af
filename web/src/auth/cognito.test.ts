import { describe, expect, it, vi } from 'vitest';
import { CognitoError, refreshTokens, signIn, signOut } from './cognito.ts';

const config = { endpoint: 'http://127.0.0.1:9229/', region: 'us-east-1', userPoolId: 'local_pool', clientId: 'client-1' };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe('Cognito JSON API', () => {
  it('signs in with USER_PASSWORD_AUTH and computes when the tokens expire', async () => {
    vi.setSystemTime(1_000_000);
    const fetchFn = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) =>
      json(200, { AuthenticationResult: { IdToken: 'id', AccessToken: 'access', RefreshToken: 'refresh', ExpiresIn: 3600 } }),
    );
    expect(await signIn(config, 'alice@example.com', 'pw', fetchFn)).toEqual({
      idToken: 'id',
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresAt: 1_000_000 + 3_600_000,
    });
    const [url, init] = fetchFn.mock.calls[0]!;
    expect(url).toBe(config.endpoint);
    expect(new Headers(init?.headers).get('X-Amz-Target')).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(String(init?.body))).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'client-1',
      AuthParameters: { USERNAME: 'alice@example.com', PASSWORD: 'pw' },
    });
    vi.useRealTimers();
  });

  it('takes the expiry from the ID token when the answer has no ExpiresIn', async () => {
    const idToken = `h.${btoa(JSON.stringify({ sub: 'u', exp: 2_000 }))}.s`;
    const fetchFn = vi.fn(async () => json(200, { AuthenticationResult: { IdToken: idToken, AccessToken: 'a', RefreshToken: 'r' } }));
    expect((await signIn(config, 'alice@example.com', 'pw', fetchFn)).expiresAt).toBe(2_000_000);
  });

  it('keeps the refresh token a refresh does not return', async () => {
    const fetchFn = vi.fn(async () => json(200, { AuthenticationResult: { IdToken: 'id2', AccessToken: 'access2', ExpiresIn: 3600 } }));
    const tokens = await refreshTokens(config, 'refresh-1', fetchFn);
    expect(tokens.refreshToken).toBe('refresh-1');
  });

  it('reports what Cognito refused, by its code', async () => {
    const fetchFn = vi.fn(async () => json(400, { __type: 'com.amazonaws.cognito#NotAuthorizedException', message: 'Incorrect username or password.' }));
    const error = await signIn(config, 'alice@example.com', 'wrong', fetchFn).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CognitoError);
    expect(error).toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('refuses a challenge it cannot answer instead of returning half a session', async () => {
    const fetchFn = vi.fn(async () => json(200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's' }));
    await expect(signIn(config, 'alice@example.com', 'pw', fetchFn)).rejects.toMatchObject({ code: 'IncompleteAuthentication' });
  });

  it('signs out everywhere with the access token', async () => {
    const fetchFn = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => json(200, {}));
    await signOut(config, 'access', fetchFn);
    const init = fetchFn.mock.calls[0]![1];
    expect(new Headers(init?.headers).get('X-Amz-Target')).toBe('AWSCognitoIdentityProviderService.GlobalSignOut');
    expect(JSON.parse(String(init?.body))).toEqual({ AccessToken: 'access' });
  });
});
