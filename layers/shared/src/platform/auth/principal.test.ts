import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../errors.ts';
import { isAdmin, parseGroupsClaim, principalFromAuthorizer, principalFromClaims } from './principal.ts';

describe('parseGroupsClaim', () => {
  it.each([
    ['admin', ['admin']],
    ['admin,support', ['admin', 'support']],
    ['[admin support]', ['admin', 'support']],
    [['admin', 'support'], ['admin', 'support']],
    ['', []],
    [undefined, []],
    [42, []],
  ])('reads %j as %j', (claim, groups) => {
    expect(parseGroupsClaim(claim)).toEqual(groups);
  });

  it('does not mistake a group whose name contains "admin" for the admin group', () => {
    expect(isAdmin({ userId: 'u', email: undefined, groups: parseGroupsClaim('not-admin,administrators') })).toBe(false);
  });
});

describe('principalFromClaims', () => {
  it('takes the subject, email and groups from the authorizer claims', () => {
    const principal = principalFromClaims({ sub: 'u-1', email: 'a@example.com', 'cognito:groups': 'admin' });
    expect(principal).toEqual({ userId: 'u-1', email: 'a@example.com', groups: ['admin'] });
    expect(isAdmin(principal)).toBe(true);
  });

  it('refuses a request without an authenticated subject', () => {
    expect(() => principalFromClaims(undefined)).toThrow(UnauthorizedError);
    expect(() => principalFromClaims({ email: 'a@example.com' })).toThrow(UnauthorizedError);
  });
});

describe('principalFromAuthorizer', () => {
  const claims = { sub: 'u-1', email: 'a@example.com', 'cognito:groups': 'admin,support' };
  const principal = { userId: 'u-1', email: 'a@example.com', groups: ['admin', 'support'] };

  it('reads the Cognito authorizer’s claims', () => {
    expect(principalFromAuthorizer({ claims })).toEqual(principal);
  });

  it('reads a Lambda authorizer’s flat context the same way (sam local)', () => {
    expect(principalFromAuthorizer({ ...claims, principalId: 'u-1', integrationLatency: 12 })).toEqual(principal);
  });

  it('refuses a request no authorizer vouched for', () => {
    expect(() => principalFromAuthorizer(undefined)).toThrow(UnauthorizedError);
    expect(() => principalFromAuthorizer(null)).toThrow(UnauthorizedError);
    expect(() => principalFromAuthorizer({ claims: { email: 'a@example.com' } })).toThrow(UnauthorizedError);
    expect(() => principalFromAuthorizer({ principalId: 'u-1' })).toThrow(UnauthorizedError);
  });
});

describe('principal: claims of the wrong shape', () => {
  it('keeps only the string entries of a groups array', () => {
    expect(parseGroupsClaim(['admin', 42, null, 'support'])).toEqual(['admin', 'support']);
  });

  it('reads a bracketed list with padding, and empty brackets as no groups', () => {
    expect(parseGroupsClaim(' [admin  support] ')).toEqual(['admin', 'support']);
    expect(parseGroupsClaim('[]')).toEqual([]);
  });

  it('leaves the email out when the claim is not a string', () => {
    expect(principalFromClaims({ sub: 'u-1', email: 42 })).toEqual({ userId: 'u-1', email: undefined, groups: [] });
  });

  it('refuses an empty or non-string subject', () => {
    expect(() => principalFromClaims({ sub: '' })).toThrow(new UnauthorizedError('The request carries no authenticated user'));
    expect(() => principalFromClaims({ sub: 7 })).toThrow(UnauthorizedError);
  });

  it('reads a flat context when `claims` is not an object', () => {
    expect(principalFromAuthorizer({ sub: 'u-1', claims: 'x' })).toEqual({ userId: 'u-1', email: undefined, groups: [] });
    expect(principalFromAuthorizer({ sub: 'u-1', claims: null })).toEqual({ userId: 'u-1', email: undefined, groups: [] });
  });
});
