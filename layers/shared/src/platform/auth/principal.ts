import { UnauthorizedError } from '../errors.ts';

/** Who is calling, as established by the Cognito authorizer in front of the API. */
export interface Principal {
  userId: string;
  email: string | undefined;
  groups: readonly string[];
}

export const ADMIN_GROUP = 'admin';

export const isAdmin = (principal: Principal): boolean => principal.groups.includes(ADMIN_GROUP);

/**
 * API Gateway's REST Cognito authorizer flattens every claim to a string: one group is `admin`,
 * several are comma-separated (`admin,support`); other integrations send `[a b]` or a real
 * array. Accept each form and return a clean list.
 */
export function parseGroupsClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  const unbracketed = claim.trim().replace(/^\[(.*)\]$/s, '$1');
  return unbracketed
    .split(/[,\s]+/)
    .map((group) => group.trim())
    .filter((group) => group.length > 0);
}

/**
 * Reads the principal from the authorizer claims. The authorizer has already verified the
 * token; a missing subject means the route was not protected, which is a configuration bug
 * that must not turn into anonymous access.
 */
export function principalFromClaims(claims: Record<string, unknown> | null | undefined): Principal {
  const userId = claims?.sub;
  if (typeof userId !== 'string' || userId.length === 0) {
    throw new UnauthorizedError('The request carries no authenticated user');
  }
  const email = typeof claims?.email === 'string' ? claims.email : undefined;
  return { userId, email, groups: parseGroupsClaim(claims?.['cognito:groups']) };
}

/**
 * Reads the principal from `requestContext.authorizer`, whichever authorizer filled it: API
 * Gateway's Cognito authorizer puts the token's claims under `claims`; a Lambda authorizer's
 * context sits there directly (flat string values), which is how `sam local start-api` hands
 * over the claims its stand-in authorizer verified (docs/decisions.md, D24).
 */
export function principalFromAuthorizer(authorizer: Record<string, unknown> | null | undefined): Principal {
  const claims = authorizer?.claims;
  return principalFromClaims(typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : authorizer);
}
