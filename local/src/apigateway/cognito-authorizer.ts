import { JwtRsaVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';

export type AuthorizerDecision =
  | { allowed: true; claims: Record<string, string> }
  | { allowed: false; reason: 'missing' | 'invalid' | 'expired' };

/** Decides on the value of the identity header (e.g. `Authorization`) of one request. */
export interface TokenAuthorizer {
  authorize(headerValue: string | undefined): AuthorizerDecision;
}

export interface UserPoolTrust {
  /** `<cognito endpoint>/<user pool id>`: the `iss` of the pool's tokens. */
  issuer: string;
  /** The pool's app client ids: API Gateway accepts ID tokens issued to any of them. */
  clientIds: string[];
  /** The pool's signing keys, fetched once at start-up. */
  jwks: Jwks;
}

/**
 * The REST API `COGNITO_USER_POOLS` authorizer: verifies the ID token's signature, issuer,
 * audience, expiry and `token_use`, and hands the claims on flattened to strings.
 *
 * The token may come bare or as `Bearer <token>`: AWS documents the bare token in the header,
 * and the API Gateway console's authorizer test accepts the `Bearer ` form as well.
 */
export function createCognitoAuthorizer(pools: UserPoolTrust[], validationExpression?: string): TokenAuthorizer {
  const verifier = JwtRsaVerifier.create(
    pools.map((pool) => ({
      issuer: pool.issuer,
      audience: pool.clientIds,
      jwksUri: `${pool.issuer}/.well-known/jwks.json`,
      // Without authorization scopes on the method, API Gateway accepts ID tokens only.
      customJwtCheck: ({ payload }: { payload: JwtPayload }) => {
        if (payload.token_use !== 'id') throw new Error('not an ID token');
      },
    })),
  );
  for (const pool of pools) verifier.cacheJwks(pool.jwks, pool.issuer);
  const validation = validationExpression === undefined ? undefined : new RegExp(`^(?:${validationExpression})$`);

  return {
    authorize(headerValue) {
      const token = headerValue?.trim().replace(/^bearer\s+/i, '');
      if (token === undefined || token === '') return { allowed: false, reason: 'missing' };
      if (validation !== undefined && !validation.test(token)) return { allowed: false, reason: 'invalid' };
      try {
        return { allowed: true, claims: toApiGatewayClaims(verifier.verifySync(token)) };
      } catch (error) {
        return { allowed: false, reason: error instanceof JwtExpiredError ? 'expired' : 'invalid' };
      }
    },
  };
}

/**
 * Claims as API Gateway passes them to the handler: every value a string, lists joined with
 * commas (`cognito:groups` = `admin,support`), booleans `"true"`, and `exp`/`iat` in Java's
 * `Date.toString()` form (`Tue Apr 04 18:39:39 UTC 2023`) while `auth_time` stays epoch seconds.
 */
export function toApiGatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => {
      if ((name === 'exp' || name === 'iat') && typeof value === 'number') return [name, javaDateString(value)];
      if (Array.isArray(value)) return [name, value.map(String).join(',')];
      if (typeof value === 'object' && value !== null) return [name, JSON.stringify(value)];
      return [name, String(value)];
    }),
  );
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function javaDateString(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}
