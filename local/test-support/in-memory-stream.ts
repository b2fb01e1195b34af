import type { _Record, AttributeValue, OperationType } from '@aws-sdk/client-dynamodb-streams';
import type { ShardRead, StreamShardReader } from '../src/streams/stream-reader.ts';

/**
 * A DynamoDB stream held in memory, for testing the event source mapping without DynamoDB
 * Local: shards with parents, records written by hand (with any creation time), shards closed
 * at will. It follows the same lineage rule as the real reader: a child shard is offered once
 * its parent is finished.
 */

export interface StreamChange {
  eventName: OperationType;
  keys: Record<string, AttributeValue>;
  newImage?: Record<string, AttributeValue>;
  oldImage?: Record<string, AttributeValue>;
  /** Default: the stream's clock. */
  createdAt?: Date;
}

interface MemoryShard {
  parentShardId: string | undefined;
  records: _Record[];
  position: number;
  closed: boolean;
  finished: boolean;
}

export class InMemoryStream implements StreamShardReader {
  readonly streamArn: string;
  /** Every `read` call, for assertions about how the mapping polls. */
  readonly reads: Array<{ shardId: string; limit: number }> = [];
  private readonly shards = new Map<string, MemoryShard>();
  private sequence = 100_000_000_000_000_000_000n;
  private failures: unknown[] = [];

  constructor(
    tableName = 'Orders',
    private readonly now: () => number = Date.now,
  ) {
    this.streamArn = `arn:aws:dynamodb:us-east-1:000000000000:table/${tableName}/stream/2025-01-01T00:00:00.000`;
  }

  addShard(shardId: string, parentShardId?: string): this {
    this.shards.set(shardId, { parentShardId, records: [], position: 0, closed: false, finished: false });
    return this;
  }

  /** Appends a change to an open shard; returns its sequence number. */
  write(shardId: string, change: StreamChange): string {
    const shard = this.shard(shardId);
    if (shard.closed) throw new Error(`Shard ${shardId} is closed`);
    this.sequence += 1n;
    const sequenceNumber = this.sequence.toString();
    shard.records.push({
      eventID: `event-${sequenceNumber}`,
      eventName: change.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      dynamodb: {
        ApproximateCreationDateTime: change.createdAt ?? new Date(this.now()),
        Keys: change.keys,
        ...(change.newImage !== undefined && { NewImage: change.newImage }),
        ...(change.oldImage !== undefined && { OldImage: change.oldImage }),
        SequenceNumber: sequenceNumber,
        SizeBytes: JSON.stringify(change).length,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    return sequenceNumber;
  }

  close(shardId: string): void {
    this.shard(shardId).closed = true;
  }

  /** The next `read` calls reject with these errors, in order. */
  failReads(...errors: unknown[]): void {
    this.failures.push(...errors);
  }

  isFinished(shardId: string): boolean {
    return this.shard(shardId).finished;
  }

  async readyShards(): Promise<string[]> {
    return [...this.shards.entries()]
      .filter(([, shard]) => !shard.finished && this.parentFinished(shard))
      .map(([shardId]) => shardId);
  }

  async read(shardId: string, limit: number): Promise<ShardRead> {
    this.reads.push({ shardId, limit });
    if (this.failures.length > 0) throw this.failures.shift();
    const shard = this.shard(shardId);
    const records = shard.records.slice(shard.position, shard.position + Math.min(limit, 1000));
    shard.position += records.length;
    return { records, ended: shard.closed && shard.position === shard.records.length };
  }

  finish(shardId: string): void {
    this.shard(shardId).finished = true;
  }

  private parentFinished(shard: MemoryShard): boolean {
    const parent = shard.parentShardId === undefined ? undefined : this.shards.get(shard.parentShardId);
    return parent === undefined || parent.finished;
  }

  private shard(shardId: string): MemoryShard {
    const shard = this.shards.get(shardId);
    if (shard === undefined) throw new Error(`No shard ${shardId}`);
    return shard;
  }
}
