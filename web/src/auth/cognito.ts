/**
 * Sign-in, token refresh and sign-out against Cognito's JSON API with `fetch` only (no SDK: it
 * would be most of the bundle). The same calls work against the local Cognito and AWS.
 *
 * Sign-in is SRP (./srp.ts): the password never leaves the browser, only a proof that the user
 * knows it, so the app client needs no USER_PASSWORD_AUTH.
 */
import type { CognitoConfig } from '../config.ts';
import { readIdToken } from './jwt.ts';
import { CognitoError, srpAuthenticate } from './srp.ts';

export { CognitoError };

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** When the ID and access tokens expire, epoch milliseconds. */
  expiresAt: number;
}

interface AuthenticationResult {
  IdToken?: string;
  AccessToken?: string;
  RefreshToken?: string;
  ExpiresIn?: number;
}

async function call<T>(config: CognitoConfig, action: string, body: unknown, fetchFn: typeof fetch): Promise<T> {
  const response = await fetchFn(config.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const json = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  if (!response.ok) {
    // `__type` may carry a namespace prefix ("com.amazonaws...#NotAuthorizedException").
    const code = String(json.__type ?? json.code ?? 'UnknownError').split('#').pop() ?? 'UnknownError';
    const message = String(json.message ?? json.Message ?? `Cognito answered ${response.status}`);
    throw new CognitoError(code, message, response.status);
  }
  return json as T;
}

/** Tokens from an AuthenticationResult; `previousRefreshToken` for a refresh, whose answer has none. */
export function tokensFrom(result: AuthenticationResult | undefined, now: number, previousRefreshToken?: string): Tokens {
  const refreshToken = result?.RefreshToken ?? previousRefreshToken;
  if (result?.IdToken === undefined || result.AccessToken === undefined || refreshToken === undefined) {
    throw new CognitoError('IncompleteAuthentication', 'Cognito asked for more than a password (a challenge this app does not support)', 200);
  }
  // ExpiresIn counts from now on this machine's clock, so a skewed clock does not matter; an
  // answer without it (cognito-local's) falls back to the ID token's own expiry.
  const expiresAt = result.ExpiresIn === undefined ? readIdToken(result.IdToken).exp * 1000 : now + result.ExpiresIn * 1000;
  return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken, expiresAt };
}

/**
 * Signs in with SRP. Rejects with a CognitoError: Cognito's own (`NotAuthorizedException` for a
 * wrong password), or `UnsupportedChallenge` when Cognito asks for more (a new password, MFA).
 * A TypeError means no answer came (offline).
 */
export async function signIn(config: CognitoConfig, username: string, password: string): Promise<Tokens> {
  try {
    return tokensFrom(await srpAuthenticate(config, username, password), Date.now());
  } catch (error) {
    if (error instanceof CognitoError || error instanceof TypeError || !(error instanceof Error)) throw error;
    throw new CognitoError('UnsupportedChallenge', error.message, 200);
  }
}

export async function refreshTokens(config: CognitoConfig, refreshToken: string, fetchFn: typeof fetch = fetch): Promise<Tokens> {
  const { AuthenticationResult } = await call<{ AuthenticationResult?: AuthenticationResult }>(
    config,
    'InitiateAuth',
    { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: config.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } },
    fetchFn,
  );
  return tokensFrom(AuthenticationResult, Date.now(), refreshToken);
}

/** Revokes the user's tokens everywhere (GlobalSignOut), so a copied refresh token stops working. */
export async function signOut(config: CognitoConfig, accessToken: string, fetchFn: typeof fetch = fetch): Promise<void> {
  await call(config, 'GlobalSignOut', { AccessToken: accessToken }, fetchFn);
}
