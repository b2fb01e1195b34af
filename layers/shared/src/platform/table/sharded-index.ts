import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { acceptable, invalidCursor, type KeyAttribute, opaque, type Page, type PageRequest, unwrapOpaque } from './pagination.ts';

/**
 * An index partition written by every order (all orders of one status) is spread over `shards`
 * partitions (`<base>#<n>`): one partition takes at most 1,000 writes per second, so the shards
 * multiply what the index can take (docs/scale.md). A list reads every shard and merges them in
 * the index's order (scatter-gather); its cursor says where the list stands.
 */
export interface ShardedIndex {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** The key attributes a LastEvaluatedKey of this index has: the table's and the index's. */
  keyAttributes: readonly string[];
}

export const shardedPartition = (base: string, shard: number) => `${base}#${shard}`;

/** The shard an item goes to: any spread works (lists read every shard); random keeps it even. */
export const randomShard = (shards: number) => Math.floor(Math.random() * shards);

/**
 * Where a sharded list stands: the sort key of the last item it handed out (every shard is read
 * on from there: the merge hands items out in the index's order, so each shard's next items sort
 * after it), and the shards read to their end, which are not asked again. One key, whatever the
 * number of shards: a cursor holding a key per shard outgrew the 2,048 characters a cursor may
 * have once most shards had been read from.
 */
export interface ShardedPosition {
  after: string | undefined;
  done: ReadonlySet<number>;
}

export function encodeShardCursor(position: ShardedPosition, shards: number): string | undefined {
  if (position.done.size === shards) return undefined;
  return opaque({ after: position.after, done: [...position.done].sort((a, b) => a - b) });
}

/**
 * Decodes a sharded list's cursor, checking it as a plain cursor is checked (pagination.ts): the
 * sort key has the shape and size of the index's keys (`SHARDED_CURSOR_SORT_KEYS`), so a
 * client cannot make DynamoDB refuse the query, and the finished shards are shards of this list.
 * The partition each shard's query reads is the server's choice, never the cursor's.
 */
export function decodeShardCursor(cursor: string | undefined, shards: number, sortKey: KeyAttribute): ShardedPosition {
  if (cursor === undefined) return { after: undefined, done: new Set() };
  const decoded = unwrapOpaque(cursor);
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalidCursor();
  const { after, done, ...rest } = decoded as Record<string, unknown>;
  const shard = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) < shards;
  const wellFormed =
    Object.keys(rest).length === 0 && acceptable(after, sortKey) && Array.isArray(done) && done.every(shard) && new Set(done).size === done.length && done.length < shards;
  if (!wellFormed) throw invalidCursor();
  return { after: after as string, done: new Set(done as number[]) };
}

export interface ShardedQuery<T> {
  client: DynamoDBDocumentClient;
  tableName: string;
  index: ShardedIndex;
  base: string;
  shards: number;
  /** The shape of the index's sort key, which the cursor carries (`SHARDED_CURSOR_SORT_KEYS`). */
  cursorSortKey: KeyAttribute;
  page: PageRequest;
  /** Descending sort key order (newest first) when true. */
  descending: boolean;
  map: (item: Record<string, unknown>) => T;
}

/**
 * One page of a sharded index partition, in the index's order: every shard not yet read to its
 * end is read after the cursor's sort key, up to `limit` items each (all the next `limit` items
 * may be in one shard), the results merged and the first `limit` kept. The next cursor is the
 * last kept item's sort key; a shard is finished when it had nothing more and all it gave was kept.
 */
export async function queryShards<T>(query: ShardedQuery<T>): Promise<Page<T>> {
  const { index, page } = query;
  const { after, done } = decodeShardCursor(page.cursor, query.shards, query.cursorSortKey);
  const read = await Promise.all(
    Array.from({ length: query.shards }, async (_, shard) => {
      if (done.has(shard)) return { shard, items: [] as Record<string, unknown>[], more: false };
      const response = await query.client.send(
        new QueryCommand({
          TableName: query.tableName,
          IndexName: index.name,
          KeyConditionExpression: after === undefined ? '#pk = :pk' : `#pk = :pk AND #sk ${query.descending ? '<' : '>'} :after`,
          ExpressionAttributeNames: { '#pk': index.partitionKey, ...(after !== undefined && { '#sk': index.sortKey }) },
          ExpressionAttributeValues: { ':pk': shardedPartition(query.base, shard), ...(after !== undefined && { ':after': after }) },
          ScanIndexForward: !query.descending,
          Limit: page.limit,
        }),
      );
      return { shard, items: response.Items ?? [], more: response.LastEvaluatedKey !== undefined };
    }),
  );
  const order = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    const [x, y] = [String(a[index.sortKey]), String(b[index.sortKey])];
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the index's sort keys end with the item's id, so two are never equal
    if (x === y) return 0;
    // Stryker disable next-line EqualityOperator: `<=` is the same here, equal keys having returned above
    const ascending = x < y ? -1 : 1;
    return query.descending ? -ascending : ascending;
  };
  const merged = read.flatMap(({ shard, items }) => items.map((item) => ({ shard, item }))).sort((a, b) => order(a.item, b.item));
  const kept = merged.slice(0, page.limit);
  const finished = new Set(done);
  for (const { shard, items, more } of read) {
    if (!more && kept.filter((entry) => entry.shard === shard).length === items.length) finished.add(shard);
  }
  const last = kept.at(-1);
  const next = { after: last === undefined ? after : String(last.item[index.sortKey]), done: finished };
  return { items: kept.map(({ item }) => query.map(item)), nextCursor: encodeShardCursor(next, query.shards) };
}
