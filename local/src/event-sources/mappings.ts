import { PauseGate } from '../core/pause-gate.ts';
import { invokeOrThrow, type LambdaInvoker } from '../lambda/invocation.ts';
import type { SqsEventSourceDefinition, StreamEventSourceDefinition, EventSourceDefinition } from './from-template.ts';
import type { EventSourceJournal } from './journal.ts';
import type { LocalMessaging } from '../cloud/local-messaging.ts';
import { EventSourcePoller } from './sqs-poller.ts';
import { createLocalStreamMapping, invokeThrough } from '../streams/local-stream-mapping.ts';
import { TemplateError } from '../template/template-types.ts';
import type { AccessDenied } from '../iam/access-denied.ts';

export interface EventSourceMappingsOptions {
  definitions: EventSourceDefinition[];
  lambda: LambdaInvoker;
  messaging: Pick<LocalMessaging, 'queues' | 'queueRegistry' | 'topicRegistry' | 'clock'>;
  /** DynamoDB Local, whose streams the DynamoDB mappings read. */
  dynamoDbEndpoint: string;
  region: string;
  /** The function ARN on-failure records name. */
  functionArn: (functionLogicalId: string) => string;
  /** See time-scale.ts: shortens the stream mappings' retry backoff. */
  timeScale: number;
  journal: EventSourceJournal;
  /**
   * IAM (iam/README.md): the mapping reads its source and sends to its on-failure destination
   * with the function's execution role. A denial refuses to create the mapping, as Lambda's
   * CreateEventSourceMapping does: start-up fails naming the function, action and resource.
   */
  authorize?: (functionLogicalId: string, checks: Array<{ action: string; resource: string }>) => AccessDenied | undefined;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

export interface RunningEventSourceMappings {
  /** The functions some enabled mapping invokes. */
  functionLogicalIds: string[];
  /**
   * Pauses every mapping, as disabling it would, without losing its place: nothing is read from
   * a queue or a stream until `resume()`; a batch already being invoked finishes. For measuring
   * a request without the background work it causes (`npm run bench`), and from the control
   * endpoint (`POST /__local/event-sources/pause`).
   */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  stop(): Promise<void>;
}

/** The stream mapping's own defaults (stream-event-source.ts), scaled by the time scale. */
const STREAM_RETRY_DELAY = { initialMs: 100, maxMs: 2_000 };

/**
 * Starts every enabled event source mapping: an SQS poller per `Type: SQS` event, a stream
 * reader over DynamoDB Local per `Type: DynamoDB` event, each invoking its function through the
 * local Lambda service. Resolves once the stream mappings have found their shards, so what is
 * written afterwards is delivered. `stop()` ends every poller and waits for running invocations.
 */
export async function startEventSourceMappings(options: EventSourceMappingsOptions): Promise<RunningEventSourceMappings> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    await Promise.all(stops.splice(0).map((stopOne) => stopOne()));
  };
  const enabled = options.definitions.filter((definition) => definition.enabled);
  const gate = new PauseGate();
  try {
    // Checked before anything starts, so a bad destination or a missing permission fails start-up rather than a batch.
    for (const definition of enabled) authorizeMapping(definition, options);
    const streams = enabled.filter((definition) => definition.kind === 'dynamodb').map((definition) => ({ definition, deliver: onFailureDelivery(definition, options) }));
    for (const definition of enabled) {
      if (definition.kind === 'sqs') stops.push(startSqsPoller(definition, options, gate));
    }
    await Promise.all(
      streams.map(async ({ definition, deliver }) => {
        const mapping = createStreamMapping(definition, deliver, options, gate);
        stops.push(() => mapping.stop());
        await mapping.start();
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  for (const definition of options.definitions.filter((candidate) => !candidate.enabled)) {
    options.log.info(`${definition.functionLogicalId} event ${definition.eventName} is disabled (Enabled: false)`);
  }
  const stopAll = async () => {
    gate.resume(); // a paused poller is let go, to see that it is stopping
    await stop();
  };
  return {
    functionLogicalIds: [...new Set(enabled.map((definition) => definition.functionLogicalId))],
    pause: () => {
      if (!gate.paused) options.log.info('Event source mappings paused');
      gate.pause();
    },
    resume: () => {
      if (gate.paused) options.log.info('Event source mappings resumed');
      gate.resume();
    },
    get paused() {
      return gate.paused;
    },
    stop: stopAll,
  };
}

/** What Lambda does with the function's role for a mapping: read and delete from the queue; read the stream and send what it gives up on. */
function mappingChecks(definition: EventSourceDefinition, options: EventSourceMappingsOptions): Array<{ action: string; resource: string }> {
  if (definition.kind === 'sqs') {
    const queue = options.messaging.queues.find((candidate) => candidate.logicalId === definition.queueLogicalId)?.queue;
    if (queue === undefined) return [];
    return ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((action) => ({ action, resource: queue.arn }));
  }
  const { streamArn, onFailureDestination } = definition.settings;
  // ListStreams is not among them: the mapping names its stream.
  const checks = ['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords'].map((action) => ({ action, resource: streamArn }));
  if (onFailureDestination !== undefined) {
    checks.push({ action: onFailureDestination.includes(':sqs:') ? 'sqs:SendMessage' : 'sns:Publish', resource: onFailureDestination });
  }
  return checks;
}

function authorizeMapping(definition: EventSourceDefinition, options: EventSourceMappingsOptions): void {
  const denied = options.authorize?.(definition.functionLogicalId, mappingChecks(definition, options));
  if (denied !== undefined) {
    throw new TemplateError(`${definition.functionLogicalId} event ${definition.eventName}: Lambda cannot create the event source mapping with the function's execution role: ${denied.message}`);
  }
}

function startSqsPoller(definition: SqsEventSourceDefinition, options: EventSourceMappingsOptions, gate: PauseGate): () => Promise<void> {
  const { functionLogicalId, queueLogicalId } = definition;
  const queue = options.messaging.queues.find((candidate) => candidate.logicalId === queueLogicalId)?.queue;
  if (queue === undefined) throw new TemplateError(`${functionLogicalId}: no local queue ${queueLogicalId}`);
  const label = `SQS ${queueLogicalId} → ${functionLogicalId}`;
  const poller = new EventSourcePoller({
    queue,
    invoke: invokeOrThrow(options.lambda, functionLogicalId),
    batchSize: definition.batchSize,
    maximumBatchingWindowInSeconds: definition.maximumBatchingWindowInSeconds,
    functionResponseTypes: definition.functionResponseTypes,
    clock: options.messaging.clock,
    gate,
    onBatch: (result) => {
      const itemIds = result.event.Records.map((record) => record.messageId);
      const error = result.error === undefined ? undefined : errorText(result.error);
      options.journal.record({
        functionLogicalId,
        source: 'sqs',
        sourceLogicalId: queueLogicalId,
        itemIds,
        failedItemIds: result.retainedMessageIds,
        outcome: result.outcome.kind,
        ...(error !== undefined && { error }),
      });
      const retained = result.retainedMessageIds.length;
      const detail =
        result.outcome.kind === 'failure'
          ? `failed, all return to the queue (${error ?? result.outcome.reason})`
          : retained > 0
            ? `${retained} returned to the queue`
            : 'done';
      const line = `${label}: ${plural(itemIds.length, 'message')}, ${detail}`;
      if (retained > 0) options.log.warn(line);
      else options.log.info(line);
    },
    onError: (error) => options.log.error(`${label}: polling failed: ${errorText(error)}`),
  });
  poller.start();
  return () => poller.stop();
}

type Deliver = (destinationArn: string, messageBody: string) => Promise<void>;

function onFailureDelivery(definition: StreamEventSourceDefinition, options: EventSourceMappingsOptions): Deliver | undefined {
  const destination = definition.settings.onFailureDestination;
  if (destination === undefined) return undefined;
  const { queueRegistry, topicRegistry } = options.messaging;
  const where = `${definition.functionLogicalId} event ${definition.eventName}`;
  if (destination.includes(':sqs:')) {
    const queue = queueRegistry.getByArn(destination);
    if (queue === undefined) throw new TemplateError(`${where}: DestinationConfig.OnFailure.Destination ${destination} is not a queue of this template`);
    return async (_arn, body) => void queue.send({ body });
  }
  if (topicRegistry.get(destination) === undefined) {
    throw new TemplateError(`${where}: DestinationConfig.OnFailure.Destination ${destination} is not a topic of this template`);
  }
  return async (arn, body) => void topicRegistry.publish(arn, { message: body });
}

function createStreamMapping(definition: StreamEventSourceDefinition, deliver: Deliver | undefined, options: EventSourceMappingsOptions, gate: PauseGate) {
  const { functionLogicalId } = definition;
  const source = definition.tableLogicalId ?? definition.settings.streamArn;
  const label = `Stream ${source} → ${functionLogicalId}`;
  return createLocalStreamMapping({
    endpoint: options.dynamoDbEndpoint,
    settings: definition.settings,
    functionArn: options.functionArn(functionLogicalId),
    region: options.region,
    invoke: invokeThrough(options.lambda, functionLogicalId),
    ...(deliver !== undefined && { sendToOnFailureDestination: deliver }),
    retryDelay: { initialMs: STREAM_RETRY_DELAY.initialMs * options.timeScale, maxMs: STREAM_RETRY_DELAY.maxMs * options.timeScale },
    gate,
    onBatch: (result) => {
      const itemIds = result.event.Records.map((record) => record.dynamodb?.SequenceNumber ?? '');
      const { outcome } = result;
      const failedItemIds = outcome.kind === 'success' ? [] : outcome.kind === 'partial' ? itemIds.slice(outcome.firstFailedIndex) : itemIds;
      const error = result.error === undefined ? undefined : errorText(result.error);
      options.journal.record({
        functionLogicalId,
        source: 'dynamodb',
        sourceLogicalId: source,
        itemIds,
        failedItemIds,
        outcome: outcome.kind,
        ...(error !== undefined && { error }),
      });
      const detail =
        outcome.kind === 'success'
          ? 'done'
          : outcome.kind === 'partial'
            ? `${plural(failedItemIds.length, 'record')} to retry`
            : `failed, to retry (${error ?? outcome.reason})`;
      const line = `${label}: ${plural(itemIds.length, 'record')}, ${detail}`;
      if (outcome.kind === 'success') options.log.info(line);
      else options.log.warn(line);
    },
    onDiscard: (discard) => {
      const where = discard.destination === undefined ? 'no on-failure destination, they are lost' : `on-failure record sent to ${discard.destination}`;
      options.log.warn(`${label}: gave up on ${plural(discard.records.length, 'record')} (${discard.condition}); ${where}`);
    },
    onError: (error) => options.log.error(`${label}: ${errorText(error)}`),
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
