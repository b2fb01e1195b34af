import { randomUUID } from 'node:crypto';
import type { PauseGate } from '../core/pause-gate.ts';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { systemClock, type Clock } from '../core/clock.ts';
import { compileFilterCriteria, type FilterCriteria } from './event-filter.ts';
import type { FunctionResponseType } from './mapping-config.ts';
import { buildOnFailureRecord, type DiscardCondition, type StreamOnFailureRecord } from './on-failure-record.ts';
import { backoff, type BufferedRecord, type RetryDelay, type ShardBatchResult, ShardProcessor, type ShardServices, type ShardSettings } from './shard-processor.ts';
import { toLambdaRecord } from './stream-record.ts';
import type { StreamShardReader } from './stream-reader.ts';
import { Nudge, wait } from './wait.ts';
import { LOCAL_REGION } from '../core/aws-account.ts';

/**
 * A DynamoDB event source mapping: polls every shard of a table's stream and invokes one
 * function with batches of real stream records, as Lambda does. One `ShardProcessor` per shard
 * holds the batching, retry, bisect and discard rules; this class finds the shards, runs their
 * processors, sends on-failure records, and knows when everything read has been processed.
 */

export type { ShardBatchResult } from './shard-processor.ts';

export interface StreamEventSourceOptions {
  reader: StreamShardReader;
  /**
   * Runs the function synchronously. Resolves with its response; rejects when it threw or
   * timed out. `requestId` is the invocation's id, also used in on-failure records.
   */
  invoke: (event: DynamoDBStreamEvent, context: { requestId: string }) => Promise<unknown>;
  /** The function's ARN, for on-failure records. */
  functionArn: string;
  /** The region in every record's `awsRegion`; default us-east-1. */
  region?: string;
  /** `eventSourceARN` in records and `streamArn` in on-failure records; default the reader's stream ARN. */
  eventSourceArn?: string;
  /** 1–10000; default 100. */
  batchSize?: number;
  /** 0–300; default 0. */
  maximumBatchingWindowInSeconds?: number;
  /** -1 (until the records expire) or 0–10000; default -1. */
  maximumRetryAttempts?: number;
  /** -1 (no limit) or 60–604800; default -1. */
  maximumRecordAgeInSeconds?: number;
  bisectBatchOnFunctionError?: boolean;
  functionResponseTypes?: readonly FunctionResponseType[];
  filterCriteria?: FilterCriteria;
  /** `DestinationConfig.OnFailure.Destination`. */
  onFailureDestination?: string;
  /** Delivers an on-failure record; required with `onFailureDestination`. */
  sendToOnFailureDestination?: (destinationArn: string, messageBody: string) => Promise<void>;
  /** Wait between polls of a shard that had nothing new; default 250 ms (Lambda polls 4 times a second). */
  pollIntervalMs?: number;
  /** Wait between looks for new shards; default 1000 ms. */
  discoveryIntervalMs?: number;
  /** Backoff before retrying a failed batch; default 100 ms doubling up to 2 s (short, for local use). */
  retryDelay?: Partial<RetryDelay>;
  clock?: Clock;
  newRequestId?: () => string;
  /** After every invocation. */
  onBatch?: (result: ShardBatchResult) => void;
  /** After records were discarded (and their on-failure record delivered, if there is a destination). */
  onDiscard?: (discard: StreamDiscard) => void;
  /** Reading or delivery problems; the mapping backs off and keeps going. */
  onError?: (error: unknown) => void;
  /** While paused, no shard is read (records wait in the stream); see core/pause-gate.ts. */
  gate?: PauseGate;
}

export interface StreamDiscard {
  shardId: string;
  condition: DiscardCondition;
  records: DynamoDBRecord[];
  onFailureRecord: StreamOnFailureRecord;
  /** Where the on-failure record went; undefined when the mapping has no destination. */
  destination: string | undefined;
}

export class StreamEventSource {
  private readonly reader: StreamShardReader;
  private readonly settings: ShardSettings;
  private readonly services: ShardServices;
  private readonly clock: Clock;
  private readonly discoveryIntervalMs: number;
  private readonly functionArn: string;
  private readonly eventSourceArn: string;
  private readonly destination: string | undefined;
  private readonly deliver: ((destinationArn: string, messageBody: string) => Promise<void>) | undefined;
  private readonly onDiscard: (discard: StreamDiscard) => void;
  private readonly onError: (error: unknown) => void;

  private readonly processors = new Map<string, ShardProcessor>();
  private readonly runs = new Set<Promise<void>>();
  private readonly discoveryNudge = new Nudge();
  private generation = 0;
  private controller: AbortController | undefined;
  private started: Promise<void> | undefined;
  private discoveryLoop: Promise<void> | undefined;
  private discovering: Promise<void> | undefined;

  constructor(options: StreamEventSourceOptions) {
    const batchSize = integerIn('BatchSize', options.batchSize ?? 100, 1, 10_000);
    const window = integerIn('MaximumBatchingWindowInSeconds', options.maximumBatchingWindowInSeconds ?? 0, 0, 300);
    const retries = integerIn('MaximumRetryAttempts', options.maximumRetryAttempts ?? -1, -1, 10_000);
    const age = integerIn('MaximumRecordAgeInSeconds', options.maximumRecordAgeInSeconds ?? -1, -1, 604_800);
    if (age !== -1 && age < 60) throw new RangeError(`MaximumRecordAgeInSeconds must be -1 or at least 60, got ${age}`);
    if (options.onFailureDestination !== undefined && options.sendToOnFailureDestination === undefined) {
      throw new TypeError('An on-failure destination needs sendToOnFailureDestination to deliver to it');
    }

    this.reader = options.reader;
    this.clock = options.clock ?? systemClock;
    this.discoveryIntervalMs = options.discoveryIntervalMs ?? 1000;
    this.functionArn = options.functionArn;
    this.eventSourceArn = options.eventSourceArn ?? options.reader.streamArn;
    this.destination = options.onFailureDestination;
    this.deliver = options.sendToOnFailureDestination;
    this.onDiscard = options.onDiscard ?? (() => {});
    this.onError = options.onError ?? (() => {});
    this.settings = {
      batchSize,
      batchingWindowMs: window * 1000,
      maximumRetryAttempts: retries,
      maximumRecordAgeMs: age === -1 ? undefined : age * 1000,
      bisectBatchOnFunctionError: options.bisectBatchOnFunctionError ?? false,
      reportBatchItemFailures: options.functionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      retryDelay: { initialMs: 100, maxMs: 2000, ...options.retryDelay },
    };
    const region = options.region ?? LOCAL_REGION;
    const newRequestId = options.newRequestId ?? randomUUID;
    this.services = {
      reader: this.reader,
      clock: this.clock,
      accepts: compileFilterCriteria(options.filterCriteria),
      toLambdaRecord: (record) => toLambdaRecord(record, { region, eventSourceArn: this.eventSourceArn }),
      invoke: options.invoke,
      newRequestId,
      discard: (shardId, condition, records, signal) => this.discard(shardId, condition, records, signal),
      generation: () => this.generation,
      onBatch: options.onBatch ?? (() => {}),
      onError: this.onError,
      ...(options.gate !== undefined && { gate: options.gate }),
    };
  }

  get running(): boolean {
    return this.controller !== undefined;
  }

  /**
   * Starts polling. Resolves once the shards have been looked up and, with LATEST, positioned
   * at their tip: what is written after that is delivered.
   */
  start(): Promise<void> {
    if (this.started !== undefined) return this.started;
    const controller = new AbortController();
    this.controller = controller;
    const started = this.discover(controller.signal);
    this.started = started;
    this.discoveryLoop = this.discoverPeriodically(started, controller.signal);
    return started;
  }

  /**
   * Stops polling and waits for running invocations to end; leaves no timers behind. Records
   * read but not yet processed are dropped: a later `start()` carries on after them.
   */
  async stop(): Promise<void> {
    const controller = this.controller;
    if (controller === undefined) return;
    controller.abort();
    await this.discoveryLoop;
    while (this.runs.size > 0) await Promise.all([...this.runs]);
    this.processors.clear();
    this.controller = undefined;
    this.started = undefined;
    this.discoveryLoop = undefined;
  }

  /**
   * Resolves once every record written to the stream before the call has been processed:
   * delivered, filtered out or discarded, and no invocation is in flight. With a batching window,
   * that includes waiting for the window. Resolves at once when the mapping is not running.
   */
  async idle(): Promise<void> {
    const signal = this.controller?.signal;
    if (signal === undefined) return;
    this.generation += 1;
    const generation = this.generation;
    await this.started;
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    while (!signal.aborted) {
      await this.discover(signal);
      const current = [...this.processors.values()];
      if (current.every((processor) => processor.isQuietSince(generation))) return;
      for (const processor of current) processor.wake();
      await Promise.race([Promise.all(current.map((processor) => processor.quietSince(generation))), stopped]);
    }
  }

  private async discoverPeriodically(first: Promise<void>, signal: AbortSignal): Promise<void> {
    await first;
    while (!signal.aborted) {
      await wait(this.clock, this.discoveryIntervalMs, signal, this.discoveryNudge.signal);
      if (!signal.aborted) await this.discover(signal);
    }
  }

  /** Starts a processor for every ready shard that has none; one lookup at a time. */
  private discover(signal: AbortSignal): Promise<void> {
    this.discovering ??= (async () => {
      try {
        for (const shardId of await this.reader.readyShards(signal)) {
          if (!signal.aborted && !this.processors.has(shardId)) this.spawn(shardId, signal);
        }
      } catch (error) {
        if (!signal.aborted) this.onError(error);
      } finally {
        this.discovering = undefined;
      }
    })();
    return this.discovering;
  }

  private spawn(shardId: string, signal: AbortSignal): void {
    const processor = new ShardProcessor(shardId, this.settings, this.services);
    this.processors.set(shardId, processor);
    const run: Promise<void> = processor
      .run(signal)
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.processors.delete(shardId);
        this.runs.delete(run);
        // A finished shard may have children waiting for it.
        if (!signal.aborted) this.discoveryNudge.ring();
      });
    this.runs.add(run);
  }

  /** Builds the on-failure record and delivers it, retrying until it is accepted or we stop. */
  private async discard(
    shardId: string,
    condition: DiscardCondition,
    records: readonly BufferedRecord[],
    signal: AbortSignal,
  ): Promise<void> {
    const onFailureRecord = buildOnFailureRecord({
      functionArn: this.functionArn,
      streamArn: this.eventSourceArn,
      shardId,
      condition,
      approximateInvokeCount: Math.max(0, ...records.map((entry) => entry.invokeCount)),
      // The head record took part in every invocation of this batch, including the last.
      lastInvocation: records[0]?.lastInvocation,
      records,
      discardedAt: new Date(this.clock.now()),
      newRequestId: this.services.newRequestId,
    });
    const destination = this.destination;
    if (destination !== undefined && this.deliver !== undefined) {
      const body = JSON.stringify(onFailureRecord);
      // The shard waits: moving past records whose failure was not recorded would lose them.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await this.deliver(destination, body);
          break;
        } catch (error) {
          if (signal.aborted) return;
          this.onError(error);
          await wait(this.clock, backoff(this.settings.retryDelay, attempt), signal);
        }
      }
    }
    try {
      this.onDiscard({ shardId, condition, records: records.map((entry) => entry.record), onFailureRecord, destination });
    } catch (hookError) {
      this.onError(hookError);
    }
  }
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer between ${min} and ${max}, got ${value}`);
  }
  return value;
}
