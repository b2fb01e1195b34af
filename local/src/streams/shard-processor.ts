import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { PauseGate } from '../core/pause-gate.ts';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Clock } from '../core/clock.ts';
import { interpretStreamBatchResponse, type StreamBatchOutcome } from './batch-response.ts';
import type { RecordFilter } from './event-filter.ts';
import type { DiscardCondition, LastInvocation } from './on-failure-record.ts';
import type { ShardRead, StreamShardReader } from './stream-reader.ts';
import { Nudge, wait } from './wait.ts';

/**
 * One shard of an event source mapping, processed strictly in order: gather a batch, invoke,
 * and only then move on. What Lambda documents for stream sources, and how it plays out here:
 *
 * - Batching: up to BatchSize records that pass the filters, invoked as soon as any are there,
 *   or, with a batching window, once the batch is full or the window (opened by the batch's
 *   first record) closes. Also cut at Lambda's 6 MB synchronous payload limit.
 * - Success checkpoints the whole batch. With ReportBatchItemFailures, a partial response
 *   checkpoints before the lowest reported sequence number and retries from it (with
 *   BisectBatchOnFunctionError too: "bisected at the returned sequence number").
 * - A function error (throw, timeout, or an unusable batch response) retries the batch; with
 *   BisectBatchOnFunctionError it is split in two halves, processed first half first.
 * - Retry counting: "Splitting a batch does not count towards the retry quota". A failed
 *   invocation consumes one attempt of the batch at the head; a partial failure consumes one
 *   too (the counter carries over to the shorter batch it leaves); a split starts both halves
 *   at zero. Once attempts exceed MaximumRetryAttempts (-1: never), the head batch is
 *   discarded: the on-failure record goes to the destination, and processing moves past it.
 * - Before every invocation, records older than MaximumRecordAgeInSeconds are discarded the
 *   same way (condition RecordAgeExceeded).
 */

export interface ShardSettings {
  batchSize: number;
  batchingWindowMs: number;
  /** -1: retry until the records expire. */
  maximumRetryAttempts: number;
  /** undefined: no age limit. */
  maximumRecordAgeMs: number | undefined;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  pollIntervalMs: number;
  retryDelay: RetryDelay;
}

export interface RetryDelay {
  /** Wait before the first retry; doubles with each further attempt up to `maxMs`. */
  initialMs: number;
  maxMs: number;
}

/** A record read from the shard and kept for the function, with what retries need to know. */
export interface BufferedRecord {
  record: DynamoDBRecord;
  sequenceNumber: string;
  /** `ApproximateCreationDateTime` in epoch seconds. */
  approximateCreationDateTime: number;
  /** When this poller read it: bounds the creation time DynamoDB Local rounds down to the minute. */
  readAtMs: number;
  /** Size in the event, for the payload limit. */
  bytes: number;
  invokeCount: number;
  lastInvocation: LastInvocation | undefined;
}

export interface ShardBatchResult {
  shardId: string;
  requestId: string;
  event: DynamoDBStreamEvent;
  outcome: StreamBatchOutcome;
  /** The function's error, when the invocation itself failed. */
  error?: unknown;
}

export interface ShardServices {
  reader: StreamShardReader;
  clock: Clock;
  accepts: RecordFilter;
  toLambdaRecord: (record: _Record) => DynamoDBRecord;
  invoke: (event: DynamoDBStreamEvent, context: { requestId: string }) => Promise<unknown>;
  newRequestId: () => string;
  /** Sends the on-failure record (when there is a destination); resolves once it is delivered. */
  discard: (shardId: string, condition: DiscardCondition, records: readonly BufferedRecord[], signal: AbortSignal) => Promise<void>;
  /** The current idle-check generation (see `StreamEventSource.idle`). */
  generation: () => number;
  onBatch: (result: ShardBatchResult) => void;
  onError: (error: unknown) => void;
  /** While paused, the shard is not read; what was read already is still processed. */
  gate?: PauseGate;
}

/** GetRecords returns at most 1000 records per call. */
const MAX_RECORDS_PER_READ = 1000;
/** Lambda's synchronous invocation payload limit. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** DynamoDB Local writes ApproximateCreationDateTime rounded down to the minute. */
const CREATION_TIME_RESOLUTION_MS = 60_000;
const READ_ERROR_BACKOFF_MS = 1000;

export class ShardProcessor {
  private readonly pending: BufferedRecord[] = [];
  private readonly nudge = new Nudge();
  private ended = false;
  private finished = false;
  /** Generation of the last read that found the shard empty while nothing was left to process. */
  private quietGeneration = -1;
  private readonly quietWaiters: Array<{ generation: number; resolve: () => void }> = [];

  constructor(
    readonly shardId: string,
    private readonly settings: ShardSettings,
    private readonly services: ShardServices,
  ) {}

  /** Runs until the shard is finished (ended and fully processed) or `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.services.gate?.whenOpen(signal);
      const batch = await this.gather(signal);
      if (batch === 'paused') continue;
      if (batch === 'finished') {
        this.services.reader.finish(this.shardId);
        this.finished = true;
        this.settleWaiters();
        return;
      }
      if (batch !== 'stopped') await this.process(batch, signal);
    }
  }

  /** Look at the shard now instead of at the end of the current poll interval. */
  wake(): void {
    this.nudge.ring();
  }

  /**
   * Resolves once a read that started in `generation` or later found nothing new and nothing
   * was left to process, or once the shard is finished.
   */
  quietSince(generation: number): Promise<void> {
    if (this.isQuietSince(generation)) return Promise.resolve();
    return new Promise((resolve) => this.quietWaiters.push({ generation, resolve }));
  }

  isQuietSince(generation: number): boolean {
    return this.finished || (this.quietGeneration >= generation && this.pending.length === 0);
  }

  // ---- gathering ------------------------------------------------------------------------------

  private async gather(signal: AbortSignal): Promise<BufferedRecord[] | 'finished' | 'stopped' | 'paused'> {
    const { batchSize, batchingWindowMs, pollIntervalMs } = this.settings;
    const { clock } = this.services;
    let windowClosesAt = this.pending.length > 0 ? clock.now() + batchingWindowMs : undefined;
    while (this.pending.length < batchSize) {
      if (signal.aborted) return 'stopped';
      if (this.services.gate?.paused === true) {
        if (this.pending.length === 0) return 'paused';
        break;
      }
      if (this.ended) {
        if (this.pending.length === 0) return 'finished';
        break;
      }
      const generation = this.services.generation();
      const found = await this.readMore(signal);
      if (found === 'error') {
        await wait(clock, READ_ERROR_BACKOFF_MS, signal);
        continue;
      }
      if (this.pending.length === 0) {
        if (found === 0 && !this.ended) {
          this.quietGeneration = generation;
          this.settleWaiters();
          await wait(clock, pollIntervalMs, signal, this.nudge.signal);
        }
        continue;
      }
      if (batchingWindowMs === 0) break;
      windowClosesAt ??= clock.now() + batchingWindowMs;
      const remaining = windowClosesAt - clock.now();
      if (remaining <= 0) break;
      if (found === 0) await wait(clock, Math.min(pollIntervalMs, remaining), signal, this.nudge.signal);
    }
    if (signal.aborted) return 'stopped';
    return this.takeBatch();
  }

  /**
   * Reads once, as much as one GetRecords call returns, and keeps what passes the filters;
   * batches are cut from that, so filtered-out records never leave a batch short.
   * Returns how many records the shard yielded before filtering.
   */
  private async readMore(signal: AbortSignal): Promise<number | 'error'> {
    let read: ShardRead;
    try {
      read = await this.services.reader.read(this.shardId, MAX_RECORDS_PER_READ, signal);
    } catch (error) {
      if (!signal.aborted) this.services.onError(error);
      return 'error';
    }
    this.ended = read.ended;
    const readAtMs = this.services.clock.now();
    for (const raw of read.records) {
      const record = this.services.toLambdaRecord(raw);
      // Filtered-out records are simply not kept: they count as processed.
      if (this.services.accepts(record)) this.pending.push(buffered(record, readAtMs));
    }
    return read.records.length;
  }

  private takeBatch(): BufferedRecord[] {
    let bytes = '{"Records":[]}'.length;
    let count = 0;
    for (const record of this.pending.slice(0, this.settings.batchSize)) {
      bytes += record.bytes + (count > 0 ? 1 : 0);
      if (count > 0 && bytes > MAX_PAYLOAD_BYTES) break;
      count += 1;
    }
    return this.pending.splice(0, count);
  }

  // ---- invoking, retrying, discarding ---------------------------------------------------------

  private async process(batch: BufferedRecord[], signal: AbortSignal): Promise<void> {
    const { bisectBatchOnFunctionError, maximumRetryAttempts } = this.settings;
    // Batches still to do, in stream order; bisecting replaces the head with its two halves.
    const queue: BufferedRecord[][] = [batch];
    let attempts = 0;
    while (!signal.aborted) {
      const head = queue[0];
      if (head === undefined) return;
      const expired = this.expiredPrefix(head);
      if (expired > 0) {
        await this.services.discard(this.shardId, 'RecordAgeExceeded', head.slice(0, expired), signal);
        replaceHead(queue, head.slice(expired));
        continue;
      }

      const outcome = await this.invoke(head);
      if (outcome.kind === 'success') {
        queue.shift();
        attempts = 0;
        continue;
      }
      if (outcome.kind === 'failure' && bisectBatchOnFunctionError && head.length > 1) {
        const middle = Math.ceil(head.length / 2);
        queue.splice(0, 1, head.slice(0, middle), head.slice(middle));
        attempts = 0;
        continue;
      }
      const retry = outcome.kind === 'partial' ? head.slice(outcome.firstFailedIndex) : head;
      replaceHead(queue, retry);
      attempts += 1;
      if (maximumRetryAttempts !== -1 && attempts > maximumRetryAttempts) {
        await this.services.discard(this.shardId, 'RetryAttemptsExhausted', retry, signal);
        queue.shift();
        attempts = 0;
        continue;
      }
      await wait(this.services.clock, this.retryDelay(attempts), signal);
    }
  }

  private async invoke(batch: BufferedRecord[]): Promise<StreamBatchOutcome> {
    const requestId = this.services.newRequestId();
    const event: DynamoDBStreamEvent = { Records: batch.map((entry) => entry.record) };
    const sequenceNumbers = batch.map((entry) => entry.sequenceNumber);
    let outcome: StreamBatchOutcome;
    let error: unknown;
    let functionError = false;
    try {
      const response = await this.services.invoke(event, { requestId });
      outcome = interpretStreamBatchResponse(response, sequenceNumbers, this.settings.reportBatchItemFailures);
    } catch (invocationError) {
      error = invocationError;
      functionError = true;
      outcome = { kind: 'failure', reason: 'the function failed' };
    }
    for (const entry of batch) {
      entry.invokeCount += 1;
      entry.lastInvocation = { requestId, functionError };
    }
    try {
      this.services.onBatch({ shardId: this.shardId, requestId, event, outcome, ...(functionError && { error }) });
    } catch (hookError) {
      this.services.onError(hookError);
    }
    return outcome;
  }

  /** Records are in stream order, so the ones past the age limit are a prefix. */
  private expiredPrefix(batch: readonly BufferedRecord[]): number {
    const limit = this.settings.maximumRecordAgeMs;
    if (limit === undefined) return 0;
    const now = this.services.clock.now();
    let count = 0;
    while (count < batch.length) {
      const entry = batch[count];
      if (entry === undefined || now - createdAtMs(entry) <= limit) break;
      count += 1;
    }
    return count;
  }

  private retryDelay(attempt: number): number {
    return backoff(this.settings.retryDelay, attempt);
  }

  private settleWaiters(): void {
    for (let index = this.quietWaiters.length - 1; index >= 0; index -= 1) {
      const waiter = this.quietWaiters[index];
      if (waiter !== undefined && this.isQuietSince(waiter.generation)) {
        this.quietWaiters.splice(index, 1);
        waiter.resolve();
      }
    }
  }
}

/** The wait before retry number `attempt` (1, 2, ...): doubling from `initialMs`, capped at `maxMs`. */
export function backoff({ initialMs, maxMs }: RetryDelay, attempt: number): number {
  return Math.min(maxMs, initialMs * 2 ** (attempt - 1));
}

function buffered(record: DynamoDBRecord, readAtMs: number): BufferedRecord {
  return {
    record,
    sequenceNumber: record.dynamodb?.SequenceNumber ?? '0',
    approximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime ?? Math.floor(readAtMs / 1000),
    readAtMs,
    bytes: Buffer.byteLength(JSON.stringify(record)),
    invokeCount: 0,
    lastInvocation: undefined,
  };
}

/**
 * The record's age counts from its creation. DynamoDB Local reports creation rounded down to
 * the minute, which would make a fresh record look up to a minute old and expire it early; the
 * moment it was read is a later bound, so the earlier of "rounded time + resolution" and "read
 * time" is used. It never overstates the age.
 */
function createdAtMs(entry: BufferedRecord): number {
  return Math.min(entry.approximateCreationDateTime * 1000 + CREATION_TIME_RESOLUTION_MS - 1, entry.readAtMs);
}

function replaceHead(queue: BufferedRecord[][], head: BufferedRecord[]): void {
  if (head.length === 0) queue.shift();
  else queue[0] = head;
}
