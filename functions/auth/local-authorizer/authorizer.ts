import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';

/** The user pool whose ID tokens are accepted. */
export interface UserPoolTrust {
  /** The tokens' `iss`: `https://cognito-idp.<region>.amazonaws.com/<pool id>`, or cognito-local's. */
  issuer: string;
  /** The app client the tokens were issued to (`aud`). */
  clientId: string;
  /** Where the pool's signing keys are; default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string | undefined;
}

/**
 * A Lambda TOKEN authorizer that accepts what the API's Cognito user pool authorizer accepts: an
 * ID token of the pool, issued to its app client, unexpired, signed by one of the pool's keys,
 * bare or as `Bearer <token>`. It only runs under `sam local start-api` (docs/decisions.md, D22).
 *
 * On success the context carries the token's claims as the Cognito authorizer hands them to the
 * handler (see `toApiGatewayClaims`); a Lambda authorizer's context may hold only flat string,
 * number or boolean values, and API Gateway puts it at `requestContext.authorizer` itself rather
 * than under `.claims`, which the shared layer's `principalOf` reads either way.
 *
 * A request without the header never gets here: SAM CLI answers it 401 itself. A token that
 * fails verification is let through *without a principal*, so that the handler refuses it with
 * 401 (every protected handler starts with `principalOf(event)`, which throws UnauthorizedError
 * when no authorizer vouched for a subject). That is how the request gets the 401 the Cognito
 * authorizer gives a bad token: SAM CLI answers a Deny policy with 403 and an authorizer error
 * with 502 (samcli/local/apigw/local_apigw_service.py), and has no counterpart for API
 * Gateway's 401 on `throw new Error('Unauthorized')`. Acceptable only because this function
 * exists only under `sam local`: even with LocalAuthorizer=true, the SAM transform deploys the
 * Cognito authorizer, never this one.
 */
export function createLocalAuthorizer(pool: UserPoolTrust) {
  const verifier = JwtRsaVerifier.create(
    {
      issuer: pool.issuer,
      audience: pool.clientId,
      jwksUri: pool.jwksUri || `${pool.issuer}/.well-known/jwks.json`,
      // Without authorization scopes on a method, the Cognito authorizer accepts ID tokens only.
      customJwtCheck: ({ payload }: { payload: JwtPayload }) => {
        if (payload.token_use !== 'id') throw new Error('not an ID token');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: plainHttpFetcher }) },
  );

  return async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = event.authorizationToken?.trim().replace(/^bearer\s+/i, '') ?? '';
    try {
      const payload = await verifier.verify(token);
      // The whole stage: an authorizer's answer for a token may be reused on the caller's other routes.
      const [apiArn, stage] = event.methodArn.split('/');
      return allow(String(payload.sub), `${apiArn}/${stage}/*`, toApiGatewayClaims(payload));
    } catch (error) {
      console.warn(JSON.stringify({ level: 'WARN', message: 'Token refused: the handler will answer 401', reason: (error as Error).message }));
      // This one request only, and no claims: no subject reaches the handler.
      return allow(ANONYMOUS, event.methodArn);
    }
  };
}

/** The principal id of a request whose token was refused; never read as a user id (`sub` is). */
export const ANONYMOUS = 'anonymous';

function allow(principalId: string, resource: string, context?: Record<string, string>): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }] },
    ...(context === undefined ? {} : { context }),
  };
}

/**
 * aws-jwt-verify fetches keys over HTTPS only; cognito-local serves them over plain HTTP on the
 * developer's machine, so the keys are fetched with Node's own `fetch`.
 */
const plainHttpFetcher: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) throw new Error(`${uri} answered ${response.status}`);
    return response.arrayBuffer();
  },
};

/**
 * Claims as the REST API's Cognito authorizer passes them to the handler: every value a string,
 * lists joined with commas (`cognito:groups` = `admin,support`), booleans `"true"`, and
 * `exp`/`iat` in Java's `Date.toString()` form (`Tue Apr 04 18:39:39 UTC 2023`), while
 * `auth_time` stays epoch seconds. (The local cloud's Cognito authorizer does the same.)
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
