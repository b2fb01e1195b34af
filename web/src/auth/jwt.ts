/** The ID token claims the app reads. It does not verify the token: the API does, on every call. */
export interface IdTokenClaims {
  sub: string;
  email?: string;
  groups: string[];
  /** Expiry, epoch seconds. */
  exp: number;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

export function readIdToken(idToken: string): IdTokenClaims {
  const payload = idToken.split('.')[1];
  if (payload === undefined) throw new Error('Not a JWT');
  const claims = JSON.parse(base64UrlDecode(payload)) as Record<string, unknown>;
  const groups = claims['cognito:groups'];
  return {
    sub: String(claims.sub),
    ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
    // An array in the token; never parsed out of a string.
    groups: Array.isArray(groups) ? groups.map(String) : [],
    exp: Number(claims.exp),
  };
}
