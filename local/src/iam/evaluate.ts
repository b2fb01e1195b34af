import {
  actionMatches,
  arnMatches,
  list,
  type NamedPolicy,
  type Principal,
  type Statement,
  statementsOf,
  wildcardMatch,
} from './policy-document.ts';

/**
 * IAM policy evaluation for one request, as AWS documents it for a principal and a resource in
 * the same account ("Policy evaluation logic"), without the parts this project has none of
 * (organization SCPs/RCPs, permissions boundaries, session policies):
 *
 *   1. an explicit `Deny` in any applicable policy denies;
 *   2. otherwise an `Allow` in an identity-based policy, or in a resource-based policy that names
 *      the principal, allows;
 *   3. otherwise the request is implicitly denied.
 *
 * A service principal (`sns.amazonaws.com` delivering to a queue) has no identity policies: only
 * the resource policy can allow it.
 */

/** Who makes the request. */
export type RequestPrincipal =
  | {
      kind: 'role';
      /** `arn:aws:iam::000000000000:role/Name` */
      roleArn: string;
      /** `arn:aws:sts::000000000000:assumed-role/Name/session` */
      sessionArn: string;
      account: string;
    }
  | { kind: 'service'; service: string };

/** Values of the request context, by condition key (any case: keys compare case-insensitively). */
export type RequestContext = Record<string, string | string[] | boolean | number | undefined>;

export interface EvaluationRequest {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  context?: RequestContext;
}

export interface MatchedStatement {
  policy: string;
  kind: 'identity' | 'resource';
  statement: Statement;
}

export type Decision =
  | { allowed: true; by: MatchedStatement }
  | { allowed: false; explicit: true; by: MatchedStatement }
  | { allowed: false; explicit: false; /** Which kind of policy could have allowed it. */ missing: 'identity' | 'resource' };

export interface PoliciesInPlay {
  identity?: NamedPolicy[];
  /** The resource's own policy (queue policy, topic policy, key policy), if it has one. */
  resource?: NamedPolicy[];
}

export function evaluate(request: EvaluationRequest, policies: PoliciesInPlay): Decision {
  const context = lowerCaseKeys(request.context ?? {});
  const identity = request.principal.kind === 'role' ? (policies.identity ?? []) : [];
  const resource = policies.resource ?? [];
  const candidates: MatchedStatement[] = [
    ...identity.flatMap((policy) => statementsOf(policy.document).map((statement) => ({ policy: policy.name, kind: 'identity' as const, statement }))),
    ...resource.flatMap((policy) => statementsOf(policy.document).map((statement) => ({ policy: policy.name, kind: 'resource' as const, statement }))),
  ];
  const applicable = candidates.filter(({ kind, statement }) => statementApplies(statement, request, context, kind === 'resource'));
  const deny = applicable.find(({ statement }) => statement.Effect === 'Deny');
  if (deny) return { allowed: false, explicit: true, by: deny };
  const allow = applicable.find(({ statement }) => statement.Effect === 'Allow');
  if (allow) return { allowed: true, by: allow };
  return { allowed: false, explicit: false, missing: request.principal.kind === 'role' ? 'identity' : 'resource' };
}

export function statementApplies(statement: Statement, request: EvaluationRequest, context: RequestContext, resourcePolicy: boolean): boolean {
  if (resourcePolicy && !principalMatches(statement, request.principal)) return false;
  if (!elementMatches(statement.Action, statement.NotAction, (pattern) => actionMatches(pattern, request.action))) return false;
  if (!elementMatches(statement.Resource, statement.NotResource, (pattern) => arnMatches(pattern, request.resource))) return false;
  return conditionsHold(statement.Condition, context);
}

/** `Action` lists what it covers, `NotAction` everything but; the same for resources. */
function elementMatches(positive: string | string[] | undefined, negative: string | string[] | undefined, matches: (pattern: string) => boolean): boolean {
  if (positive !== undefined) return list(positive).some(matches);
  if (negative !== undefined) return !list(negative).some(matches);
  return false;
}

function principalMatches(statement: Statement, principal: RequestPrincipal): boolean {
  if (statement.Principal !== undefined) return principalListed(statement.Principal, principal);
  if (statement.NotPrincipal !== undefined) return !principalListed(statement.NotPrincipal, principal);
  return false;
}

/**
 * Whether a `Principal` element names this principal. An account (`123456789012` or
 * `arn:aws:iam::123456789012:root`) does not: it delegates to the account's identity policies,
 * which then must allow the request themselves.
 */
function principalListed(element: Principal, principal: RequestPrincipal): boolean {
  if (element === '*') return true;
  if (principal.kind === 'service') return list(element.Service).includes(principal.service) || list(element.AWS).includes('*');
  return list(element.AWS).some((value) => value === '*' || value === principal.roleArn || value === principal.sessionArn);
}

const lowerCaseKeys = (context: RequestContext): RequestContext =>
  Object.fromEntries(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));

/** Every operator of every block must hold; within one, every key (AND), any value (OR). */
export function conditionsHold(condition: Statement['Condition'], context: RequestContext): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => operatorHolds(operator, context[key.toLowerCase()], list(expected).map(String))),
  );
}

export class UnsupportedConditionError extends Error {
  override name = 'UnsupportedConditionError';
}

function operatorHolds(operatorWithModifiers: string, actual: RequestContext[string], expected: string[]): boolean {
  let operator = operatorWithModifiers;
  let setOperator: 'ForAnyValue' | 'ForAllValues' | undefined;
  const prefix = /^(ForAnyValue|ForAllValues):(.*)$/.exec(operator);
  if (prefix) {
    setOperator = prefix[1] as 'ForAnyValue' | 'ForAllValues';
    operator = prefix[2]!;
  }
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);

  if (operator === 'Null') {
    const absent = actual === undefined || (Array.isArray(actual) && actual.length === 0);
    return expected.some((value) => (value === 'true') === absent);
  }
  const values = actual === undefined ? [] : Array.isArray(actual) ? actual.map(String) : [String(actual)];
  const compare = comparison(operator);
  if (setOperator === 'ForAllValues') return values.every((value) => compare.matches(value, expected));
  if (setOperator === 'ForAnyValue') return values.some((value) => compare.matches(value, expected));
  // A key missing from the request: IfExists holds, a negated operator holds, anything else fails.
  if (values.length === 0) return ifExists || compare.negated;
  return values.some((value) => compare.matches(value, expected));
}

interface Comparison {
  negated: boolean;
  matches: (value: string, expected: string[]) => boolean;
}

function comparison(operator: string): Comparison {
  const positive = (test: (value: string, candidate: string) => boolean): Comparison => ({
    negated: false,
    matches: (value, expected) => expected.some((candidate) => test(value, candidate)),
  });
  const negative = (test: (value: string, candidate: string) => boolean): Comparison => ({
    negated: true,
    matches: (value, expected) => !expected.some((candidate) => test(value, candidate)),
  });
  const number = (test: (a: number, b: number) => boolean) => (value: string, candidate: string) => test(Number(value), Number(candidate));
  switch (operator) {
    case 'StringEquals':
      return positive((value, candidate) => value === candidate);
    case 'StringNotEquals':
      return negative((value, candidate) => value === candidate);
    case 'StringEqualsIgnoreCase':
      return positive((value, candidate) => value.toLowerCase() === candidate.toLowerCase());
    case 'StringNotEqualsIgnoreCase':
      return negative((value, candidate) => value.toLowerCase() === candidate.toLowerCase());
    case 'StringLike':
      return positive((value, candidate) => wildcardMatch(candidate, value));
    case 'StringNotLike':
      return negative((value, candidate) => wildcardMatch(candidate, value));
    case 'ArnEquals':
    case 'ArnLike':
      return positive((value, candidate) => arnMatches(candidate, value));
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return negative((value, candidate) => arnMatches(candidate, value));
    case 'Bool':
      return positive((value, candidate) => value.toLowerCase() === candidate.toLowerCase());
    case 'NumericEquals':
      return positive(number((a, b) => a === b));
    case 'NumericNotEquals':
      return negative(number((a, b) => a === b));
    case 'NumericLessThan':
      return positive(number((a, b) => a < b));
    case 'NumericLessThanEquals':
      return positive(number((a, b) => a <= b));
    case 'NumericGreaterThan':
      return positive(number((a, b) => a > b));
    case 'NumericGreaterThanEquals':
      return positive(number((a, b) => a >= b));
    default:
      // Failing loudly beats a silent wrong answer: the local cloud names the operator to add.
      throw new UnsupportedConditionError(`The local IAM evaluator does not support the condition operator ${operator}`);
  }
}
