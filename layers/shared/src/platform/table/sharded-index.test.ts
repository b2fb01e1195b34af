import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../errors.ts';
import { CURSOR_KEYS, INDEX } from './keys.ts';
import { decodeShardCursor, encodeShardCursor, queryShards, randomShard } from './sharded-index.ts';

const SHARDS = 4;
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const mock = mockClient(documents);

/** Orders of one status spread over the shards, with what a DynamoDB Query of one shard answers (newest first, Limit, ExclusiveStartKey). */
function shardedTable(orders: Array<{ n: number; shard: number; at: string }>) {
  const items = orders.map(({ n, shard, at }) => ({
    PK: `ORDER#${uuid(n)}`,
    SK: 'ORDER',
    GSI2PK: `STATUS#PENDING#${shard}`,
    GSI2SK: `${at}#${uuid(n)}`,
    orderId: uuid(n),
  }));
  const queries: QueryCommandInput[] = [];
  mock.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    queries.push(input);
    const partition = input.ExpressionAttributeValues?.[':pk'];
    const inShard = items.filter((item) => item.GSI2PK === partition).sort((a, b) => b.GSI2SK.localeCompare(a.GSI2SK));
    const start = input.ExclusiveStartKey === undefined ? 0 : inShard.findIndex((item) => item.GSI2SK === input.ExclusiveStartKey?.GSI2SK) + 1;
    const page = inShard.slice(start, start + (input.Limit ?? inShard.length));
    const more = start + page.length < inShard.length;
    const last = page.at(-1);
    return { Items: page, ...(more && last && { LastEvaluatedKey: { PK: last.PK, SK: last.SK, GSI2PK: last.GSI2PK, GSI2SK: last.GSI2SK } }) };
  });
  return queries;
}

const list = (limit: number, cursor?: string) =>
  queryShards({
    client: documents,
    tableName: 'orders',
    index: INDEX.gsi2,
    base: 'STATUS#PENDING',
    shards: SHARDS,
    cursorKeyOf: (shard) => CURSOR_KEYS.ordersByStatus('PENDING', shard),
    page: { limit, cursor },
    descending: true,
    map: (item) => item.orderId as string,
  });

beforeEach(() => mock.reset());

describe('a list over a sharded index partition', () => {
  // Eleven orders, newest is n = 11, unevenly spread (shard 3 is empty, shard 0 has most).
  const orders = Array.from({ length: 11 }, (_, i) => ({ n: i + 1, shard: [0, 0, 1, 0, 2, 0, 1, 0, 2, 0, 0][i]!, at: `2026-11-30T00:00:${String(i + 1).padStart(2, '0')}.000Z` }));

  it('pages through every order exactly once, newest first, whatever the shards hold', async () => {
    shardedTable(orders);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = await list(3, cursor);
      seen.push(...result.items);
      cursor = result.nextCursor;
      if (cursor === undefined) break;
    }
    expect(seen).toEqual(orders.map(({ n }) => uuid(n)).reverse());
  });

  it('reads every shard on a first page, and only the shards not yet exhausted after', async () => {
    const queries = shardedTable(orders);
    const first = await list(3);
    expect(queries.map((query) => query.ExpressionAttributeValues?.[':pk']).sort()).toEqual(['STATUS#PENDING#0', 'STATUS#PENDING#1', 'STATUS#PENDING#2', 'STATUS#PENDING#3']);
    queries.length = 0;
    await list(3, first.nextCursor);
    // Shard 3 answered nothing and had nothing more: it is not asked again.
    expect(queries.map((query) => query.ExpressionAttributeValues?.[':pk'])).not.toContain('STATUS#PENDING#3');
  });

  it('asks each shard for one page of its own partition, in the index order, from where the cursor left it', async () => {
    const queries = shardedTable(orders);
    const first = await list(3);
    expect(queries).toHaveLength(SHARDS);
    for (const query of queries) {
      expect(query).toMatchObject({ TableName: 'orders', IndexName: 'GSI2', KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'GSI2PK' }, ScanIndexForward: false, Limit: 3 });
      expect(query).not.toHaveProperty('ExclusiveStartKey');
    }
    queries.length = 0;
    await list(3, first.nextCursor);
    expect(queries.find((query) => query.ExpressionAttributeValues?.[':pk'] === 'STATUS#PENDING#0')?.ExclusiveStartKey).toMatchObject({ GSI2PK: 'STATUS#PENDING#0' });
  });

  it('merges the shards in the index order however they interleave', async () => {
    // Shard n holds every fourth order: the newest of each shard is never the newest overall but one.
    shardedTable(Array.from({ length: 12 }, (_, i) => ({ n: i + 1, shard: i % SHARDS, at: `2026-11-30T00:00:${String(i + 1).padStart(2, '0')}.000Z` })));
    expect((await list(12)).items).toEqual(Array.from({ length: 12 }, (_, i) => uuid(12 - i)));
  });

  it('reads on from a shard whose whole page was kept', async () => {
    // The six newest orders are all in shard 0: a page of 3 keeps all 3 it read from there.
    const crowded = Array.from({ length: 8 }, (_, i) => ({ n: i + 1, shard: i < 2 ? 1 : 0, at: `2026-11-30T00:00:${String(i + 1).padStart(2, '0')}.000Z` }));
    shardedTable(crowded);
    const first = await list(3);
    expect(first.items).toEqual([uuid(8), uuid(7), uuid(6)]);
    expect((await list(3, first.nextCursor)).items).toEqual([uuid(5), uuid(4), uuid(3)]);
  });

  it('has no next page once every shard is read to its end', async () => {
    shardedTable(orders);
    const all = await list(50);
    expect(all.items).toHaveLength(11);
    expect(all.nextCursor).toBeUndefined();
  });
});

describe('a sharded list’s cursor', () => {
  const keyOf = (shard: number) => ({ PK: `ORDER#${uuid(1)}`, SK: 'ORDER', GSI2PK: `STATUS#PENDING#${shard}`, GSI2SK: `2026-11-30T00:00:01.000Z#${uuid(1)}` });
  const cursorKeyOf = (shard: number) => CURSOR_KEYS.ordersByStatus('PENDING', shard);
  const refused = (cursor: string) => {
    expect(() => decodeShardCursor(cursor, SHARDS, cursorKeyOf)).toThrow(ValidationError);
    expect(() => decodeShardCursor(cursor, SHARDS, cursorKeyOf)).toThrow(
      expect.objectContaining({ errors: [{ field: 'cursor', message: 'is not a valid cursor for this list' }] }),
    );
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  it('starts every shard at its beginning when there is no cursor', () => {
    expect(decodeShardCursor(undefined, SHARDS, cursorKeyOf)).toEqual([null, null, null, null]);
  });

  it('round-trips where each shard stands', () => {
    const positions: Parameters<typeof encodeShardCursor>[0] = [null, keyOf(1), false, null];
    expect(decodeShardCursor(encodeShardCursor(positions), SHARDS, cursorKeyOf)).toEqual(positions);
  });

  it('refuses a cursor of another shape, length, or with a key moved to another shard', () => {
    refused('not-a-cursor');
    refused(encode({ GSI2PK: 'STATUS#PENDING#0' }));
    refused(encode([null, null, null]));
    refused(encode([keyOf(1), null, null, null]));
    refused(encode([null, { ...keyOf(1), GSI2SK: '' }, null, null]));
    refused(encode([null, true, null, null]));
  });
});

describe('the shard an item goes to', () => {
  it('is any of the shards, from the first to the last', () => {
    const random = vi.spyOn(Math, 'random');
    expect([0, 0.3, 0.6, 0.999].map((value) => (random.mockReturnValueOnce(value), randomShard(SHARDS)))).toEqual([0, 1, 2, 3]);
    random.mockRestore();
  });
});
