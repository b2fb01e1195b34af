import { compileFilterCriteria, InvalidFilterCriteriaError, type FilterCriteria } from './event-filter.ts';

/**
 * The settings of a DynamoDB event source mapping, read from a function's `Type: DynamoDB`
 * event in the template (SAM names, intrinsics already resolved) and checked against the limits
 * in "Lambda parameters for Amazon DynamoDB event source mappings". A template the real
 * CreateEventSourceMapping would refuse fails here too, with the property named.
 */

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';
export type FunctionResponseType = 'ReportBatchItemFailures';

export interface StreamMappingSettings {
  /** The resolved `Stream` property: the table's stream ARN. */
  streamArn: string;
  startingPosition: StartingPosition;
  /** 1–10000, default 100. */
  batchSize: number;
  /** 0–300 seconds, default 0. */
  maximumBatchingWindowInSeconds: number;
  /** -1 (retry until the record expires) or 0–10000; default -1. */
  maximumRetryAttempts: number;
  /** -1 (no limit) or 60–604800 seconds; default -1. */
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  functionResponseTypes: FunctionResponseType[];
  filterCriteria: FilterCriteria | undefined;
  /** `DestinationConfig.OnFailure.Destination`: an SQS queue or SNS topic ARN. */
  onFailureDestination: string | undefined;
  /** `Enabled: false` keeps the mapping declared but stopped. */
  enabled: boolean;
}

export class InvalidStreamMappingError extends Error {
  override name = 'InvalidStreamMappingError';
}

/**
 * Settings Lambda has for streams but the local cloud does not emulate. Parallelization only
 * changes throughput (a shard is processed strictly in order here, which is what a factor of 1
 * guarantees), so it is accepted; tumbling windows change the function's contract, so they fail.
 */
const UNSUPPORTED = ['TumblingWindowInSeconds', 'StartingPositionTimestamp'] as const;

export function streamMappingFromTemplate(properties: Record<string, unknown>): StreamMappingSettings {
  for (const name of UNSUPPORTED) {
    if (properties[name] !== undefined) {
      throw new InvalidStreamMappingError(`${name} is not supported by the local cloud's DynamoDB stream mapping`);
    }
  }
  const streamArn = properties.Stream;
  if (typeof streamArn !== 'string' || !streamArn.includes(':dynamodb:') || !streamArn.includes('/stream/')) {
    throw new InvalidStreamMappingError(`Stream must be a DynamoDB stream ARN, got ${JSON.stringify(streamArn)}`);
  }
  const startingPosition = properties.StartingPosition;
  if (startingPosition !== 'TRIM_HORIZON' && startingPosition !== 'LATEST') {
    throw new InvalidStreamMappingError(
      `StartingPosition must be TRIM_HORIZON or LATEST for a DynamoDB stream, got ${JSON.stringify(startingPosition)}`,
    );
  }
  const settings: StreamMappingSettings = {
    streamArn,
    startingPosition,
    batchSize: integer(properties, 'BatchSize', 100, 1, 10_000),
    maximumBatchingWindowInSeconds: integer(properties, 'MaximumBatchingWindowInSeconds', 0, 0, 300),
    maximumRetryAttempts: integer(properties, 'MaximumRetryAttempts', -1, -1, 10_000),
    maximumRecordAgeInSeconds: integer(properties, 'MaximumRecordAgeInSeconds', -1, -1, 604_800),
    bisectBatchOnFunctionError: boolean(properties, 'BisectBatchOnFunctionError', false),
    functionResponseTypes: responseTypes(properties.FunctionResponseTypes),
    filterCriteria: filterCriteria(properties.FilterCriteria),
    onFailureDestination: onFailureDestination(properties.DestinationConfig),
    enabled: boolean(properties, 'Enabled', true),
  };
  const age = settings.maximumRecordAgeInSeconds;
  if (age !== -1 && age < 60) {
    throw new InvalidStreamMappingError(`MaximumRecordAgeInSeconds must be -1 or between 60 and 604800, got ${age}`);
  }
  return settings;
}

/** CloudFormation passes numbers through YAML as numbers or numeric strings; both are accepted. */
function integer(properties: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const raw = properties[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidStreamMappingError(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function boolean(properties: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const raw = properties[name];
  if (raw === undefined) return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new InvalidStreamMappingError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

function responseTypes(raw: unknown): FunctionResponseType[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((type) => type !== 'ReportBatchItemFailures')) {
    throw new InvalidStreamMappingError(`FunctionResponseTypes may only contain ReportBatchItemFailures, got ${JSON.stringify(raw)}`);
  }
  return raw.length > 0 ? ['ReportBatchItemFailures'] : [];
}

function filterCriteria(raw: unknown): FilterCriteria | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidStreamMappingError('FilterCriteria must be an object with a Filters list');
  }
  const criteria = raw as FilterCriteria;
  if (criteria.Filters !== undefined && !Array.isArray(criteria.Filters)) {
    throw new InvalidStreamMappingError('FilterCriteria.Filters must be a list');
  }
  try {
    // Fails now, naming the filter, rather than on the first record.
    compileFilterCriteria(criteria);
  } catch (error) {
    if (error instanceof InvalidFilterCriteriaError) throw new InvalidStreamMappingError(error.message);
    throw error;
  }
  return criteria;
}

function onFailureDestination(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  const destination = (raw as { OnFailure?: { Destination?: unknown } } | null)?.OnFailure?.Destination;
  if (typeof destination !== 'string' || !/^arn:[^:]+:(sqs|sns):/.test(destination)) {
    throw new InvalidStreamMappingError(
      `DestinationConfig.OnFailure.Destination must be an SQS queue or SNS topic ARN, got ${JSON.stringify(destination)}`,
    );
  }
  return destination;
}
