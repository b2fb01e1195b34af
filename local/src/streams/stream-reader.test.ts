import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { DynamoDbStreamReader } from './stream-reader.ts';

const STREAM = 'arn:aws:dynamodb:ddblocal:000000000000:table/Orders/stream/2026-01-01T00:00:00.000';

function setup(startingPosition: 'TRIM_HORIZON' | 'LATEST') {
  const client = new DynamoDBStreamsClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  let now = 0;
  const reader = new DynamoDbStreamReader({
    endpoint: 'http://127.0.0.1:1',
    streamArn: STREAM,
    startingPosition,
    client,
    discoveryIntervalMs: 1000,
    now: () => now,
  });
  return { mock, reader, advance: (ms: number) => (now += ms) };
}

const record = (sequenceNumber: string): _Record => ({ eventID: sequenceNumber, eventName: 'INSERT', dynamodb: { SequenceNumber: sequenceNumber } });
const sequenceNumbers = (records: _Record[]) => records.map((entry) => entry.dynamodb?.SequenceNumber);
const closed = (shardId: string, parent?: string) => ({
  ShardId: shardId,
  ParentShardId: parent,
  SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '9' },
});
const open = (shardId: string, parent?: string) => ({ ShardId: shardId, ParentShardId: parent, SequenceNumberRange: { StartingSequenceNumber: '10' } });

describe('DynamoDbStreamReader', () => {
  it('lists shards over every DescribeStream page and offers a child only once its parent is finished', async () => {
    const { mock, reader } = setup('TRIM_HORIZON');
    mock
      .on(DescribeStreamCommand)
      .resolves({ StreamDescription: { Shards: [closed('parent')], LastEvaluatedShardId: 'parent' } })
      .on(DescribeStreamCommand, { ExclusiveStartShardId: 'parent' })
      .resolves({ StreamDescription: { Shards: [open('child', 'parent')] } })
      .on(GetShardIteratorCommand, { ShardId: 'parent', ShardIteratorType: 'TRIM_HORIZON' })
      .resolves({ ShardIterator: 'parent-0' })
      .on(GetRecordsCommand, { ShardIterator: 'parent-0' })
      .resolves({ Records: [record('1'), record('2')], NextShardIterator: 'parent-1' })
      .on(GetRecordsCommand, { ShardIterator: 'parent-1' })
      .resolves({ Records: [record('3')] });

    expect(await reader.readyShards()).toEqual(['parent']);
    expect(mock.commandCalls(DescribeStreamCommand)).toHaveLength(2);

    const first = await reader.read('parent', 100);
    expect(sequenceNumbers(first.records)).toEqual(['1', '2']);
    expect(first.ended).toBe(false);
    const last = await reader.read('parent', 100);
    expect(sequenceNumbers(last.records)).toEqual(['3']);
    expect(last.ended).toBe(true);

    // Read to the end is not enough: the consumer has not finished processing it yet.
    expect(await reader.readyShards()).toEqual(['parent']);
    reader.finish('parent');
    expect(await reader.readyShards()).toEqual(['child']);
  });

  it('with LATEST, skips closed shards and positions open ones at their tip before the first read', async () => {
    const { mock, reader, advance } = setup('LATEST');
    mock
      .on(DescribeStreamCommand)
      .resolvesOnce({ StreamDescription: { Shards: [closed('old'), open('current', 'old')] } })
      .resolves({ StreamDescription: { Shards: [closed('old'), closed('current', 'old'), open('next', 'current')] } })
      .on(GetShardIteratorCommand, { ShardId: 'current' })
      .resolves({ ShardIterator: 'current-tip' })
      .on(GetShardIteratorCommand, { ShardId: 'next' })
      .resolves({ ShardIterator: 'next-0' })
      .on(GetRecordsCommand, { ShardIterator: 'current-tip' })
      .resolves({ Records: [record('20')] })
      .on(GetRecordsCommand, { ShardIterator: 'next-0' })
      .resolves({ Records: [record('30')], NextShardIterator: 'next-1' });

    expect(await reader.readyShards()).toEqual(['current']);
    expect(mock.commandCalls(GetShardIteratorCommand).map((call) => call.args[0].input)).toEqual([
      { StreamArn: STREAM, ShardId: 'current', ShardIteratorType: 'LATEST' },
    ]);

    expect(sequenceNumbers((await reader.read('current', 10)).records)).toEqual(['20']);
    reader.finish('current');
    advance(1);
    // A shard that appears later is read from its beginning, whatever the starting position.
    expect(await reader.readyShards()).toEqual(['next']);
    expect(sequenceNumbers((await reader.read('next', 10)).records)).toEqual(['30']);
    expect(mock.commandCalls(GetShardIteratorCommand).at(-1)?.args[0].input).toMatchObject({ ShardId: 'next', ShardIteratorType: 'TRIM_HORIZON' });
  });

  it('replaces an expired iterator and carries on after the last record read', async () => {
    const { mock, reader } = setup('TRIM_HORIZON');
    mock
      .on(DescribeStreamCommand)
      .resolves({ StreamDescription: { Shards: [open('shard')] } })
      .on(GetShardIteratorCommand, { ShardIteratorType: 'TRIM_HORIZON' })
      .resolves({ ShardIterator: 'it-0' })
      .on(GetShardIteratorCommand, { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: '5' })
      .resolves({ ShardIterator: 'it-fresh' })
      .on(GetRecordsCommand, { ShardIterator: 'it-0' })
      .resolves({ Records: [record('5')], NextShardIterator: 'it-1' })
      .on(GetRecordsCommand, { ShardIterator: 'it-1' })
      .rejects(new ExpiredIteratorException({ message: 'Iterator expired', $metadata: {} }))
      .on(GetRecordsCommand, { ShardIterator: 'it-fresh' })
      .resolves({ Records: [record('6')], NextShardIterator: 'it-2' });

    await reader.readyShards();
    expect(sequenceNumbers((await reader.read('shard', 10)).records)).toEqual(['5']);
    expect(sequenceNumbers((await reader.read('shard', 10)).records)).toEqual(['6']);
  });

  it('asks for new shards at most once per discovery interval, and passes the limit on (capped at 1000)', async () => {
    const { mock, reader, advance } = setup('TRIM_HORIZON');
    mock
      .on(DescribeStreamCommand)
      .resolves({ StreamDescription: { Shards: [open('shard')] } })
      .on(GetShardIteratorCommand)
      .resolves({ ShardIterator: 'it-0' })
      .on(GetRecordsCommand)
      .resolves({ Records: [], NextShardIterator: 'it-0' });

    await reader.readyShards();
    await reader.readyShards();
    expect(mock.commandCalls(DescribeStreamCommand)).toHaveLength(1);
    advance(1000);
    await reader.readyShards();
    expect(mock.commandCalls(DescribeStreamCommand)).toHaveLength(2);

    await reader.read('shard', 5000);
    expect(mock.commandCalls(GetRecordsCommand)[0]?.args[0].input).toEqual({ ShardIterator: 'it-0', Limit: 1000 });
  });
});
