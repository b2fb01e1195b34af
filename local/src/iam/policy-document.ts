/**
 * IAM policy documents as templates write them: every element that may be a string or a list
 * (`Action`, `Resource`, condition values, …) is read through `list`, so the evaluator deals
 * with one shape only.
 */

export type Effect = 'Allow' | 'Deny';

/** `"*"` or `{ AWS: …, Service: …, Federated: … }`, each a string or a list. */
export type Principal = '*' | Record<string, string | string[]>;

export type ConditionBlock = Record<string, Record<string, unknown>>;

export interface Statement {
  Sid?: string;
  Effect: Effect;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: Principal;
  NotPrincipal?: Principal;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | Statement[];
}

/** A policy as a role holds it: where it came from (for messages and reports) and its document. */
export interface NamedPolicy {
  /** The inline policy's name, or the managed policy's ARN. */
  name: string;
  kind: 'inline' | 'managed';
  document: PolicyDocument;
}

export const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export const statementsOf = (document: PolicyDocument): Statement[] => list(document.Statement);

/**
 * IAM's wildcard match: `*` is any run of characters (`/` and `:` included), `?` any one.
 * Action names compare case-insensitively, ARNs case-sensitively.
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return compiled(pattern, ignoreCase).test(value);
}

// Every SDK call a function makes is evaluated: each pattern is compiled once, not per call.
const patterns = new Map<string, RegExp>();

function compiled(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = patterns.get(key);
  if (regex === undefined) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    patterns.set(key, (regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's')));
  }
  return regex;
}

export const actionMatches = (pattern: string, action: string): boolean => wildcardMatch(pattern, action, true);

/**
 * An ARN pattern against an ARN: segment by segment for partition, service, region and account
 * (a wildcard never spans a `:` there), then the resource part, where it may.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const patternParts = splitArn(pattern);
  const arnParts = splitArn(arn);
  if (patternParts === undefined || arnParts === undefined) return wildcardMatch(pattern, arn);
  return patternParts.every((part, index) => wildcardMatch(part, arnParts[index]!, index === 2));
}

/** `arn:partition:service:region:account:resource` → its six parts (the resource keeps its colons). */
export function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
