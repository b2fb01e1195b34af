import { describe, expect, it } from 'vitest';
import { passwordPolicyOf, passwordPolicyViolations } from './password-policy.ts';

const strict = { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true };

describe('passwordPolicyViolations', () => {
  it('accepts a password that meets every rule', () => {
    expect(passwordPolicyViolations('Passw0rd!Local', strict)).toEqual([]);
  });

  it('lists every rule a password breaks', () => {
    expect(passwordPolicyViolations('short', strict)).toEqual([
      'at least 12 characters',
      'an uppercase letter',
      'a number',
      'a symbol',
    ]);
  });

  it('applies Cognito\'s default minimum length of 8 when the policy sets none', () => {
    expect(passwordPolicyViolations('abc', {})).toEqual(['at least 8 characters']);
  });
});

describe('passwordPolicyOf', () => {
  it('reads Policies.PasswordPolicy from the pool properties', () => {
    expect(passwordPolicyOf({ Policies: { PasswordPolicy: strict } })).toEqual(strict);
    expect(passwordPolicyOf({})).toEqual({});
  });
});
