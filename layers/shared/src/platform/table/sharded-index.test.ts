import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../errors.ts';
import { INDEX, SHARDED_CURSOR_SORT_KEYS } from './keys.ts';
import { decodeShardCursor, encodeShardCursor, queryShards, randomShard } from './sharded-index.ts';

const SHARDS = 4;
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const mock = mockClient(documents);

/** Orders of one status spread over the shards, with what a DynamoDB Query of one shard answers (newest first, `GSI2SK < :after`, Limit). */
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
    const after = input.ExpressionAttributeValues?.[':after'] as string | undefined;
    const remaining = after === undefined ? inShard : inShard.filter((item) => item.GSI2SK < after);
    const page = remaining.slice(0, input.Limit ?? remaining.length);
    const more = page.length < remaining.length;
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
    cursorSortKey: SHARDED_CURSOR_SORT_KEYS.ordersByStatus,
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

  it('asks each shard for one page of its own partition, in the index order, after the last item handed out', async () => {
    const queries = shardedTable(orders);
    const first = await list(3);
    expect(queries).toHaveLength(SHARDS);
    for (const query of queries) {
      expect(query).toMatchObject({ TableName: 'orders', IndexName: 'GSI2', KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'GSI2PK' }, ScanIndexForward: false, Limit: 3 });
      expect(query.ExpressionAttributeValues).not.toHaveProperty(':after');
    }
    queries.length = 0;
    await list(3, first.nextCursor);
    // The third newest (n = 9) was the last handed out: every shard goes on below its sort key.
    expect(queries.find((query) => query.ExpressionAttributeValues?.[':pk'] === 'STATUS#PENDING#0')).toMatchObject({
      KeyConditionExpression: '#pk = :pk AND #sk < :after',
      ExpressionAttributeNames: { '#pk': 'GSI2PK', '#sk': 'GSI2SK' },
      ExpressionAttributeValues: { ':after': `2026-11-30T00:00:09.000Z#${uuid(9)}` },
    });
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
  const sortKey = `2026-11-30T00:00:01.000Z#${uuid(1)}`;
  const decode = (cursor: string | undefined) => decodeShardCursor(cursor, SHARDS, SHARDED_CURSOR_SORT_KEYS.ordersByStatus);
  const refused = (cursor: string) => {
    expect(() => decode(cursor)).toThrow(ValidationError);
    expect(() => decode(cursor)).toThrow(expect.objectContaining({ errors: [{ field: 'cursor', message: 'is not a valid cursor for this list' }] }));
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  it('starts before every shard’s first item when there is no cursor', () => {
    expect(decode(undefined)).toEqual({ after: undefined, done: new Set() });
  });

  it('round-trips the last sort key handed out and the shards read to their end', () => {
    const position = { after: sortKey, done: new Set([2, 0]) };
    expect(decode(encodeShardCursor(position, SHARDS))).toEqual(position);
    expect(encodeShardCursor({ after: sortKey, done: new Set([0, 1, 2, 3]) }, SHARDS)).toBeUndefined();
  });

  it('stays one key long however many shards it has read from: a page of 16 shards of 200-character names fits the 2,048 characters a cursor may have', () => {
    const longest = `PRODUCT#${'x'.repeat(200)}\u001f${uuid(1)}`;
    const cursor = encodeShardCursor({ after: longest, done: new Set(Array.from({ length: 15 }, (_, shard) => shard)) }, 16)!;
    expect(cursor.length).toBeLessThan(2048);
  });

  it('refuses a cursor of another shape, a foreign sort key, or shards the list does not have', () => {
    refused('not-a-cursor');
    refused(encode([null, null, null, null]));
    refused(encode({ after: sortKey }));
    refused(encode({ after: '', done: [] }));
    refused(encode({ after: `ORDER#${sortKey}`, done: [] }));
    refused(encode({ after: { S: sortKey }, done: [] }));
    refused(encode({ after: sortKey, done: [4] }));
    refused(encode({ after: sortKey, done: [1, 1] }));
    refused(encode({ after: sortKey, done: [0, 1, 2, 3] }));
    refused(encode({ after: sortKey, done: [], extra: 1 }));
  });
});

describe('the shard an item goes to', () => {
  it('is any of the shards, from the first to the last', () => {
    const random = vi.spyOn(Math, 'random');
    expect([0, 0.3, 0.6, 0.999].map((value) => (random.mockReturnValueOnce(value), randomShard(SHARDS)))).toEqual([0, 1, 2, 3]);
    random.mockRestore();
  });
});
