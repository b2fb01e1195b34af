/**
 * Collects, for a window of the bench, every DynamoDB partition touched: reads from the SDK
 * calls the local cloud reports (`onSdkCall`), writes from the table's stream (bench/partitions.ts
 * says why each comes from where).
 */
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { SdkCall } from '#local/lambda/sdk-metrics.ts';
import { itemKey, type KeySchema, type PartitionAccess, readsOf, transactionalKeys, writesOf } from './partitions.ts';

interface TimedCall {
  at: number;
  command: string;
  input: Record<string, unknown>;
  consumedCapacity: unknown;
}

export class PartitionLedger {
  private readonly calls: TimedCall[] = [];
  private readonly records: _Record[] = [];
  /** Where the next read of each shard starts (undefined: a closed shard read to its end). */
  private readonly shardIterators = new Map<string, string | undefined>();
  private readonly streams: DynamoDBStreamsClient;
  /** The first record of the current window (mark()). */
  private windowStart = 0;

  constructor(
    private readonly settings: { endpoint: string; region: string; tableName: string; streamArn: string; schema: KeySchema },
  ) {
    this.streams = new DynamoDBStreamsClient({ endpoint: settings.endpoint, region: settings.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  }

  /** Feed every SDK call the local cloud reports (functions and the state machine's direct tasks). */
  record(call: SdkCall): void {
    if (call.dynamoDb === undefined || call.failed) return;
    if (call.dynamoDb.input.TableName !== undefined && call.dynamoDb.input.TableName !== this.settings.tableName && call.command !== 'BatchGetItemCommand') return;
    this.calls.push({ at: Date.now(), command: call.command, input: call.dynamoDb.input, consumedCapacity: call.dynamoDb.consumedCapacity });
  }

  /**
   * Starts a window: reads the stream to its end, so the writes before it are not the window's.
   * Call it once the previous traffic has settled.
   */
  async mark(): Promise<void> {
    await this.streamRecords();
    this.windowStart = this.records.length;
  }

  /**
   * Every partition access of the window: reads from the calls between `from` and `to` (epoch
   * ms), writes from the stream records read since `mark()`. Stream records are told apart by
   * the order they are read in, not by their ApproximateCreationDateTime, which DynamoDB Local
   * rounds too coarsely to tell one window from the next.
   */
  async between(from: number, to: number): Promise<PartitionAccess[]> {
    const { schema } = this.settings;
    const calls = this.calls.filter((call) => call.at >= from && call.at <= to);
    const reads = calls.flatMap((call) => readsOf(call.command, call.input, call.consumedCapacity as never, schema));
    const transactional = new Set(calls.filter((call) => call.command === 'TransactWriteItemsCommand').flatMap((call) => transactionalKeys(call.input, schema)));
    const writes = (await this.streamRecords()).slice(this.windowStart).flatMap((record) => {
      const change = record.dynamodb!;
      const keys = change.Keys as Record<string, unknown>;
      return writesOf({ keys, oldImage: change.OldImage as never, newImage: change.NewImage as never, transactional: transactional.has(itemKey(keys, schema)) }, schema);
    });
    return [...reads, ...writes];
  }

  /**
   * Every stream record so far. Each shard is read from where the previous call stopped, so a
   * bench that asks for several windows reads each record once.
   */
  private async streamRecords(): Promise<_Record[]> {
    for (const shard of await this.shards()) {
      const shardId = shard.ShardId ?? '';
      let iterator = this.shardIterators.get(shardId);
      if (!this.shardIterators.has(shardId)) {
        ({ ShardIterator: iterator } = await this.streams.send(
          new GetShardIteratorCommand({ StreamArn: this.settings.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
        ));
      }
      // Bounded: a shard of the bench's run holds a few thousand records at most.
      for (let page = 0; iterator !== undefined && page < 10_000; page += 1) {
        const output = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        this.records.push(...(output.Records ?? []));
        iterator = output.NextShardIterator;
        if ((output.Records ?? []).length === 0) break;
      }
      this.shardIterators.set(shardId, iterator);
    }
    return this.records;
  }

  /** Every shard of the stream: DescribeStream answers at most 100 a call, and a long run has more. */
  private async shards() {
    const shards = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.settings.streamArn, ExclusiveStartShardId: exclusiveStartShardId }));
      shards.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);
    return shards;
  }

  close(): void {
    this.streams.destroy();
  }
}
