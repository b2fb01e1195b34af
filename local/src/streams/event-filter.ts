import type { DynamoDBRecord } from 'aws-lambda';
import { InvalidFilterPolicyError, matchesFilterPolicy, parseFilterPolicy, type FilterPolicy } from '../core/filter-policy.ts';

/**
 * Lambda event filtering ("Control which events Lambda sends to your function") for a DynamoDB
 * event source mapping, on top of the SNS filter-policy matcher: both implement the EventBridge
 * pattern language, and a message-body policy is exactly "a pattern over a JSON document".
 *
 * What Lambda adds or changes, and how it is handled here:
 * - `FilterCriteria.Filters` is a list; the filters are ORed: a record goes to the function when
 *   at least one pattern matches, and is dropped (counted as processed) when none does.
 * - Each `Pattern` is a JSON string of at most 4096 characters, matched against the whole
 *   record as it appears in the event (`eventName`, `dynamodb.Keys`, `dynamodb.NewImage.<attr>.S`...).
 * - No criteria, or an empty `Filters` list, lets every record through.
 *
 * Known differences that remain, because the matcher keeps SNS's rules: SNS's complexity limits
 * (five top-level keys, 150 combinations) also apply to patterns, and `"exists": true` follows
 * SNS's reading (a non-null, non-empty value), which may differ from Lambda's for "" and null.
 * Operators SNS has and Lambda does not document (wildcard, cidr, $or) are accepted.
 */

export interface FilterCriteria {
  Filters?: ReadonlyArray<{ Pattern?: string }>;
}

export type RecordFilter = (record: DynamoDBRecord) => boolean;

/** "Filter": Pattern length constraints. */
const MAX_PATTERN_LENGTH = 4096;
/** Five by default; a quota increase allows up to ten per event source mapping. */
const MAX_FILTERS = 10;

/** A pattern Lambda would refuse when the event source mapping is created. */
export class InvalidFilterCriteriaError extends Error {
  override name = 'InvalidFilterCriteriaError';
}

const ACCEPT_ALL: RecordFilter = () => true;

/** Validates the criteria once (as CreateEventSourceMapping does) and returns the matcher. */
export function compileFilterCriteria(criteria: FilterCriteria | undefined): RecordFilter {
  const filters = criteria?.Filters ?? [];
  if (filters.length === 0) return ACCEPT_ALL;
  if (filters.length > MAX_FILTERS) {
    throw new InvalidFilterCriteriaError(`FilterCriteria has ${filters.length} filters; at most ${MAX_FILTERS} are allowed`);
  }
  const policies = filters.map((filter, index) => compilePattern(filter.Pattern, index));
  return (record) => {
    const body = JSON.stringify(record);
    return policies.some((policy) => matchesFilterPolicy(policy, { attributes: {}, body }));
  };
}

function compilePattern(pattern: unknown, index: number): FilterPolicy {
  const where = `FilterCriteria.Filters[${index}].Pattern`;
  if (typeof pattern !== 'string') {
    throw new InvalidFilterCriteriaError(`${where} must be a JSON string`);
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new InvalidFilterCriteriaError(`${where} is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  try {
    return parseFilterPolicy(pattern, 'MessageBody');
  } catch (error) {
    if (error instanceof InvalidFilterPolicyError) {
      throw new InvalidFilterCriteriaError(`${where} is invalid: ${error.message}`);
    }
    throw error;
  }
}
