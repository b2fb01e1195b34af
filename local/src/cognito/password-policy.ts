import { isRecord } from '../template/template-types.ts';

/** `Policies.PasswordPolicy` of an `AWS::Cognito::UserPool`. */
export interface PasswordPolicy {
  MinimumLength?: number;
  RequireLowercase?: boolean;
  RequireUppercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
}

// The characters Cognito counts as symbols.
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/;

export function passwordPolicyOf(userPoolProperties: Record<string, unknown>): PasswordPolicy {
  const policies = isRecord(userPoolProperties.Policies) ? userPoolProperties.Policies : {};
  return isRecord(policies.PasswordPolicy) ? (policies.PasswordPolicy as PasswordPolicy) : {};
}

/**
 * What is wrong with `password` under `policy` (empty when it complies). cognito-local does not
 * enforce password policies, so the local cloud checks its seed password itself: the local
 * password must be one the deployed pool would accept too.
 */
export function passwordPolicyViolations(password: string, policy: PasswordPolicy): string[] {
  const violations: string[] = [];
  // Cognito's default minimum length is 8.
  const minimumLength = Number(policy.MinimumLength ?? 8);
  if (password.length < minimumLength) violations.push(`at least ${minimumLength} characters`);
  if (isRequired(policy.RequireLowercase) && !/[a-z]/.test(password)) violations.push('a lowercase letter');
  if (isRequired(policy.RequireUppercase) && !/[A-Z]/.test(password)) violations.push('an uppercase letter');
  if (isRequired(policy.RequireNumbers) && !/[0-9]/.test(password)) violations.push('a number');
  if (isRequired(policy.RequireSymbols) && !SYMBOLS.test(password)) violations.push('a symbol');
  return violations;
}

function isRequired(flag: unknown): boolean {
  return flag === true || flag === 'true';
}
