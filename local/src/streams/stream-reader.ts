import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { StartingPosition } from './mapping-config.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/aws-account.ts';

/**
 * Reads a DynamoDB stream shard by shard, the way Lambda's pollers do: DescribeStream (all
 * pages) to find shards, one iterator per shard, GetRecords to move along it. The event source
 * mapping drives it through `StreamShardReader`, so its semantics can be tested without a stream.
 *
 * Shard lineage: a child shard is only offered once the consumer has `finish`ed its parent,
 * i.e. read it to the end AND processed what it read, so a key's changes reach the function in
 * order even across a shard split. A parent that is no longer listed (trimmed) does not hold
 * its children back.
 *
 * Starting position applies to the shards found by the first DescribeStream only: with LATEST,
 * shards that are already closed are skipped and open ones start at their tip; shards that
 * appear later are always read from TRIM_HORIZON, so nothing written after start is lost.
 */

export interface ShardRead {
  /** In shard order. May be empty while the shard is open. */
  records: _Record[];
  /** The shard is closed and every record in it has been returned. */
  ended: boolean;
}

export interface StreamShardReader {
  readonly streamArn: string;
  /** Shards that may be read now (unfinished, parent finished). Discovers new shards now and then. */
  readyShards(signal?: AbortSignal): Promise<string[]>;
  /** The next records of a shard, at most `limit`. */
  read(shardId: string, limit: number, signal?: AbortSignal): Promise<ShardRead>;
  /** The consumer has processed every record of an ended shard: its children become ready. */
  finish(shardId: string): void;
}

export interface DynamoDbStreamReaderOptions {
  /** DynamoDB Local's endpoint, e.g. http://127.0.0.1:8000. */
  endpoint: string;
  streamArn: string;
  startingPosition: StartingPosition;
  region?: string;
  /** Minimum time between two DescribeStream calls looking for new shards; default 1000 ms. */
  discoveryIntervalMs?: number;
  /** Replaces the client built from `endpoint` (tests). */
  client?: DynamoDBStreamsClient;
  now?: () => number;
}

interface ShardState {
  readonly shardId: string;
  readonly parentShardId: string | undefined;
  initialIteratorType: ShardIteratorType;
  iterator: string | undefined;
  /** Resuming point when the iterator has to be replaced (expired iterators). */
  lastSequenceNumber: string | undefined;
  ended: boolean;
  finished: boolean;
}

/** GetRecords returns at most 1000 records per call. */
const MAX_RECORDS_PER_CALL = 1000;

export class DynamoDbStreamReader implements StreamShardReader {
  readonly streamArn: string;
  private readonly client: DynamoDBStreamsClient;
  private readonly ownsClient: boolean;
  private readonly startingPosition: StartingPosition;
  private readonly discoveryIntervalMs: number;
  private readonly now: () => number;
  private readonly shards = new Map<string, ShardState>();
  private describedOnce = false;
  private lastDescribeAt = Number.NEGATIVE_INFINITY;
  private describing: Promise<void> | undefined;

  constructor(options: DynamoDbStreamReaderOptions) {
    this.streamArn = options.streamArn;
    this.startingPosition = options.startingPosition;
    this.discoveryIntervalMs = options.discoveryIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.ownsClient = options.client === undefined;
    this.client =
      options.client ??
      new DynamoDBStreamsClient({
        endpoint: options.endpoint,
        region: options.region ?? LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      });
  }

  async readyShards(signal?: AbortSignal): Promise<string[]> {
    if (this.now() - this.lastDescribeAt >= this.discoveryIntervalMs) {
      await this.discover(signal);
    }
    return [...this.shards.values()]
      .filter((shard) => !shard.finished && this.parentFinished(shard))
      .map((shard) => shard.shardId);
  }

  async read(shardId: string, limit: number, signal?: AbortSignal): Promise<ShardRead> {
    const shard = this.shards.get(shardId);
    if (shard === undefined) throw new Error(`Unknown shard ${shardId} of ${this.streamArn}`);
    const size = Math.max(1, Math.min(MAX_RECORDS_PER_CALL, Math.floor(limit)));
    // One replacement of a stale iterator per call; a second failure is a real error.
    for (let attempt = 0; ; attempt += 1) {
      if (shard.ended) return { records: [], ended: true };
      shard.iterator ??= await this.newIterator(shard, signal);
      if (shard.iterator === undefined) return { records: [], ended: true };
      try {
        const output = await this.client.send(
          new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: size }),
          { abortSignal: signal },
        );
        const records = output.Records ?? [];
        const last = records.at(-1)?.dynamodb?.SequenceNumber;
        if (last !== undefined) shard.lastSequenceNumber = last;
        shard.iterator = output.NextShardIterator;
        // No next iterator: the shard is closed and we have read all of it.
        if (output.NextShardIterator === undefined || output.NextShardIterator === null) shard.ended = true;
        return { records, ended: shard.ended };
      } catch (error) {
        shard.iterator = undefined;
        if (attempt > 0) throw error;
        switch (errorName(error)) {
          // Iterators expire after 15 minutes; resume after the last record read.
          case 'ExpiredIteratorException':
            continue;
          // What we were about to read has been trimmed (24 h retention): those records are lost.
          case 'TrimmedDataAccessException':
            shard.lastSequenceNumber = undefined;
            shard.initialIteratorType = 'TRIM_HORIZON';
            continue;
          case 'ResourceNotFoundException':
            shard.ended = true;
            return { records: [], ended: true };
          default:
            throw error;
        }
      }
    }
  }

  finish(shardId: string): void {
    const shard = this.shards.get(shardId);
    if (shard === undefined) return;
    shard.finished = true;
    // Its children are probably listed already; look now rather than at the next interval.
    this.lastDescribeAt = Number.NEGATIVE_INFINITY;
  }

  /** Closes the client this reader created. */
  destroy(): void {
    if (this.ownsClient) this.client.destroy();
  }

  private parentFinished(shard: ShardState): boolean {
    if (shard.parentShardId === undefined) return true;
    const parent = this.shards.get(shard.parentShardId);
    return parent === undefined || parent.finished;
  }

  /** One DescribeStream pass (all pages) at a time; concurrent callers share it. */
  private discover(signal?: AbortSignal): Promise<void> {
    this.describing ??= this.describe(signal).finally(() => {
      this.describing = undefined;
    });
    return this.describing;
  }

  private async describe(signal?: AbortSignal): Promise<void> {
    const listed: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const output = await this.client.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
        { abortSignal: signal },
      );
      listed.push(...(output.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = output.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);

    const initial = !this.describedOnce;
    for (const shard of listed) {
      if (shard.ShardId === undefined || this.shards.has(shard.ShardId)) continue;
      const state: ShardState = {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        initialIteratorType: 'TRIM_HORIZON',
        iterator: undefined,
        lastSequenceNumber: undefined,
        ended: false,
        finished: false,
      };
      if (initial && this.startingPosition === 'LATEST') {
        const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
        if (closed) {
          state.ended = true;
          state.finished = true;
        } else {
          // Positioned now, not at the first read: records written after start() must be seen.
          state.initialIteratorType = 'LATEST';
          state.iterator = await this.newIterator(state, signal);
        }
      }
      this.shards.set(state.shardId, state);
    }
    this.describedOnce = true;
    this.lastDescribeAt = this.now();
  }

  private async newIterator(shard: ShardState, signal?: AbortSignal): Promise<string | undefined> {
    const resume = shard.lastSequenceNumber;
    try {
      const output = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shard.shardId,
          ...(resume === undefined
            ? { ShardIteratorType: shard.initialIteratorType }
            : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: resume }),
        }),
        { abortSignal: signal },
      );
      return output.ShardIterator;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') {
        shard.ended = true;
        return undefined;
      }
      if (errorName(error) === 'TrimmedDataAccessException' && resume !== undefined) {
        shard.lastSequenceNumber = undefined;
        shard.initialIteratorType = 'TRIM_HORIZON';
        return this.newIterator(shard, signal);
      }
      throw error;
    }
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
