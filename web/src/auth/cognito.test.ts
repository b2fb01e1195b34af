import { afterEach, describe, expect, it, vi } from 'vitest';
import { CognitoError, refreshTokens, signIn, signOut, tokensFrom } from './cognito.ts';

const config = { endpoint: 'http://127.0.0.1:9229/', region: 'us-east-1', userPoolId: 'us-east-1_pool', clientId: 'client-1' };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
type FetchArgs = [url: string | URL | Request, init?: RequestInit];

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Cognito JSON API', () => {
  it('computes when the tokens expire from ExpiresIn, or from the ID token when the answer has none', () => {
    expect(tokensFrom({ IdToken: 'id', AccessToken: 'a', RefreshToken: 'r', ExpiresIn: 3600 }, 1_000_000)).toEqual({
      idToken: 'id',
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: 1_000_000 + 3_600_000,
    });
    const idToken = `h.${btoa(JSON.stringify({ sub: 'u', exp: 2_000 }))}.s`;
    expect(tokensFrom({ IdToken: idToken, AccessToken: 'a', RefreshToken: 'r' }, 0).expiresAt).toBe(2_000_000);
  });

  it('signs in with SRP: the password is not in anything sent to Cognito', async () => {
    const fetchFn = vi.fn(async (..._args: FetchArgs) => json(400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }));
    vi.stubGlobal('fetch', fetchFn);
    const error = await signIn(config, 'alice@example.com', 'S3cret-Passw0rd').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CognitoError);
    expect(error).toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    const [, init] = fetchFn.mock.calls[0]!;
    const body = JSON.parse(String(init?.body)) as { AuthFlow: string; AuthParameters: Record<string, string> };
    expect(body.AuthFlow).toBe('USER_SRP_AUTH');
    expect(Object.keys(body.AuthParameters).sort()).toEqual(['SRP_A', 'USERNAME']);
    expect(String(init?.body)).not.toContain('S3cret-Passw0rd');
  });

  it('reports a challenge it cannot answer as a CognitoError, not half a session', async () => {
    vi.stubGlobal('fetch', async () => json(200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's' }));
    await expect(signIn(config, 'alice@example.com', 'pw')).rejects.toMatchObject({ name: 'UnsupportedChallenge' });
  });

  it('refreshes with the refresh token, keeping it when the answer has none', async () => {
    const fetchFn = vi.fn(async (..._args: FetchArgs) => json(200, { AuthenticationResult: { IdToken: 'id2', AccessToken: 'access2', ExpiresIn: 3600 } }));
    const tokens = await refreshTokens(config, 'refresh-1', fetchFn);
    expect(tokens.refreshToken).toBe('refresh-1');
    const [url, init] = fetchFn.mock.calls[0]!;
    expect(url).toBe(config.endpoint);
    expect(new Headers(init?.headers).get('X-Amz-Target')).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
    expect(new Headers(init?.headers).get('Content-Type')).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(String(init?.body))).toEqual({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'client-1', AuthParameters: { REFRESH_TOKEN: 'refresh-1' } });
  });

  it('reports what Cognito refused, by its code', async () => {
    const fetchFn = vi.fn(async () => json(400, { __type: 'com.amazonaws.cognito#NotAuthorizedException', message: 'Refresh Token has been revoked' }));
    const error = await refreshTokens(config, 'revoked', fetchFn).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CognitoError);
    expect(error).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked', status: 400 });
  });

  it('signs out everywhere with the access token', async () => {
    const fetchFn = vi.fn(async (..._args: FetchArgs) => json(200, {}));
    await signOut(config, 'access', fetchFn);
    const init = fetchFn.mock.calls[0]![1];
    expect(new Headers(init?.headers).get('X-Amz-Target')).toBe('AWSCognitoIdentityProviderService.GlobalSignOut');
    expect(JSON.parse(String(init?.body))).toEqual({ AccessToken: 'access' });
  });
});
