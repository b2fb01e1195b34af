import { type LocalFunctionDefinition, referencedLogicalId } from '../lambda/from-template.ts';
import type { FunctionResponseType } from './sqs-poller.ts';
import { DEFAULT_QUEUE_SETTINGS } from '../sqs/queue.ts';
import { InvalidStreamMappingError, type StreamMappingSettings, streamMappingFromTemplate } from '../streams/mapping-config.ts';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { isRecord, TemplateError } from '../template/template-types.ts';
import type { QueueDefinition } from '../sqs/from-template.ts';
import { optionalBoolean, optionalInteger } from '../template/property-values.ts';

/**
 * Lambda event source mappings, read from the `Events` of the template's functions the way SAM
 * turns them into `AWS::Lambda::EventSourceMapping`s, and checked the way
 * CreateEventSourceMapping checks them: a template Lambda would refuse fails start-up here.
 */

export type EventSourceDefinition = SqsEventSourceDefinition | StreamEventSourceDefinition;

interface MappingIdentity {
  functionLogicalId: string;
  /** The key under the function's `Events`. */
  eventName: string;
  enabled: boolean;
}

export interface SqsEventSourceDefinition extends MappingIdentity {
  kind: 'sqs';
  queueLogicalId: string;
  /** 1–10000, default 10. */
  batchSize: number;
  /** 0–300 seconds, default 0. */
  maximumBatchingWindowInSeconds: number;
  functionResponseTypes: FunctionResponseType[];
  /** `ScalingConfig.MaximumConcurrency` (2–1000), read and checked; locally one batch runs at a time. */
  maximumConcurrency: number | undefined;
}

export interface StreamEventSourceDefinition extends MappingIdentity {
  kind: 'dynamodb';
  /** The table whose stream it reads, when `Stream` names one (`!GetAtt Table.StreamArn`). */
  tableLogicalId: string | undefined;
  settings: StreamMappingSettings;
}

export interface EventSourceReading {
  mappings: EventSourceDefinition[];
  /** Event types the local cloud does not run, by function. */
  warnings: string[];
}

/** Served by the local API, not by a mapping. */
const API_EVENT_TYPES = new Set(['Api', 'HttpApi']);

export function readEventSourceDefinitions(
  functions: LocalFunctionDefinition[],
  resolver: IntrinsicResolver,
  queues: QueueDefinition[],
): EventSourceReading {
  const mappings: EventSourceDefinition[] = [];
  const warnings: string[] = [];
  for (const fn of functions) {
    for (const [eventName, event] of Object.entries(fn.events)) {
      const where = `${fn.logicalId} event ${eventName}`;
      if (event.Type === 'SQS') mappings.push(readSqsEvent(fn, eventName, where, event.Properties, resolver, queues));
      else if (event.Type === 'DynamoDB') mappings.push(readStreamEvent(fn, eventName, where, event.Properties, resolver));
      else if (!API_EVENT_TYPES.has(event.Type)) warnings.push(`${where}: Type ${event.Type} is not emulated; nothing invokes ${fn.logicalId} for it`);
    }
  }
  return { mappings, warnings };
}

function readSqsEvent(
  fn: LocalFunctionDefinition,
  eventName: string,
  where: string,
  raw: Record<string, unknown>,
  resolver: IntrinsicResolver,
  queues: QueueDefinition[],
): SqsEventSourceDefinition {
  const properties = resolver.resolve(raw) as Record<string, unknown>;
  if (properties.FilterCriteria !== undefined) {
    throw new TemplateError(`${where}: FilterCriteria on SQS events is not supported by the local cloud`);
  }
  const queue = queues.find((candidate) => candidate.arn === properties.Queue);
  if (queue === undefined) {
    const named = referencedLogicalId(raw.Queue);
    throw new TemplateError(`${where}: Queue ${named ?? JSON.stringify(properties.Queue)} is not an SQS queue of this template`);
  }
  const batchSize = inRange(where, 'BatchSize', optionalInteger(where, properties, 'BatchSize') ?? 10, 1, 10_000);
  const window = inRange(where, 'MaximumBatchingWindowInSeconds', optionalInteger(where, properties, 'MaximumBatchingWindowInSeconds') ?? 0, 0, 300);
  if (batchSize > 10 && window < 1) {
    throw new TemplateError(`${where}: a BatchSize above 10 needs MaximumBatchingWindowInSeconds of at least 1`);
  }
  const scaling = properties.ScalingConfig;
  if (scaling !== undefined && !isRecord(scaling)) throw new TemplateError(`${where}: ScalingConfig must be an object`);
  const maximumConcurrency = scaling === undefined ? undefined : optionalInteger(where, scaling, 'MaximumConcurrency');
  if (maximumConcurrency !== undefined) inRange(where, 'ScalingConfig.MaximumConcurrency', maximumConcurrency, 2, 1000);

  // Lambda refuses the mapping when a message could become visible again while the function
  // still runs: "Queue visibility timeout: Xs is less than Function timeout: Ys".
  const visibilityTimeout = queue.settings.visibilityTimeout ?? DEFAULT_QUEUE_SETTINGS.visibilityTimeout;
  if (visibilityTimeout < fn.timeoutSeconds) {
    throw new TemplateError(
      `${where}: Queue visibility timeout: ${visibilityTimeout} seconds is less than Function timeout: ${fn.timeoutSeconds} seconds (${queue.logicalId})`,
    );
  }
  return {
    kind: 'sqs',
    functionLogicalId: fn.logicalId,
    eventName,
    enabled: optionalBoolean(where, properties, 'Enabled') ?? true,
    queueLogicalId: queue.logicalId,
    batchSize,
    maximumBatchingWindowInSeconds: window,
    functionResponseTypes: responseTypes(where, properties.FunctionResponseTypes),
    maximumConcurrency,
  };
}

function readStreamEvent(
  fn: LocalFunctionDefinition,
  eventName: string,
  where: string,
  raw: Record<string, unknown>,
  resolver: IntrinsicResolver,
): StreamEventSourceDefinition {
  const properties = resolver.resolve(raw) as Record<string, unknown>;
  let settings: StreamMappingSettings;
  try {
    settings = streamMappingFromTemplate(properties);
  } catch (error) {
    if (error instanceof InvalidStreamMappingError) throw new TemplateError(`${where}: ${error.message}`);
    throw error;
  }
  return {
    kind: 'dynamodb',
    functionLogicalId: fn.logicalId,
    eventName,
    enabled: settings.enabled,
    tableLogicalId: referencedLogicalId(raw.Stream),
    settings,
  };
}

function inRange(where: string, name: string, value: number, min: number, max: number): number {
  if (value < min || value > max) throw new TemplateError(`${where}: ${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function responseTypes(where: string, raw: unknown): FunctionResponseType[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((type) => type !== 'ReportBatchItemFailures')) {
    throw new TemplateError(`${where}: FunctionResponseTypes may only contain ReportBatchItemFailures, got ${JSON.stringify(raw)}`);
  }
  return raw.length > 0 ? ['ReportBatchItemFailures'] : [];
}
