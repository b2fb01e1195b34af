import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CursorKey, checkCursorKey, invalidCursor, type Key, opaque, type Page, type PageRequest, unwrapOpaque } from './pagination.ts';

/**
 * An index partition written by every order (all orders of one status) is spread over `shards`
 * partitions (`<base>#<n>`): one partition takes at most 1,000 writes per second, so the shards
 * multiply what the index can take (docs/scale.md). A list reads every shard and merges them in
 * the index's order (scatter-gather); its cursor says where each shard stands.
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

/** Where one shard stands: not read yet, read up to (and including) a key, or read to its end. */
export type ShardPosition = null | Key | false;

export function encodeShardCursor(positions: ShardPosition[]): string | undefined {
  if (positions.every((position) => position === false)) return undefined;
  return opaque(positions);
}

/**
 * Decodes a sharded list's cursor, checking every shard's key as a plain cursor is checked
 * (pagination.ts): each belongs to its own shard's partition and has our key shapes, so a
 * client can neither point a shard into another partition nor make DynamoDB refuse the query.
 */
export function decodeShardCursor(cursor: string | undefined, shards: number, cursorKeyOf: (shard: number) => CursorKey): ShardPosition[] {
  if (cursor === undefined) return Array.from({ length: shards }, () => null);
  const decoded = unwrapOpaque(cursor);
  if (!Array.isArray(decoded) || decoded.length !== shards) throw invalidCursor();
  return decoded.map((position: unknown, shard) => {
    if (position === null || position === false) return position;
    const key = checkCursorKey(position, cursorKeyOf(shard));
    if (key === undefined) throw invalidCursor();
    return key;
  });
}

export interface ShardedQuery<T> {
  client: DynamoDBDocumentClient;
  tableName: string;
  index: ShardedIndex;
  base: string;
  shards: number;
  cursorKeyOf: (shard: number) => CursorKey;
  page: PageRequest;
  /** Descending sort key order (newest first) when true. */
  descending: boolean;
  map: (item: Record<string, unknown>) => T;
}

/**
 * One page of a sharded index partition, in the index's order: every shard is read from where
 * the cursor left it, up to `limit` items each (all the next `limit` items may be in one
 * shard), the results merged, the first `limit` kept, and each shard's position moved past
 * the items kept from it.
 */
export async function queryShards<T>(query: ShardedQuery<T>): Promise<Page<T>> {
  const { index, page } = query;
  const positions = decodeShardCursor(page.cursor, query.shards, query.cursorKeyOf);
  const read = await Promise.all(
    positions.map(async (position, shard) => {
      // Stryker disable next-line BooleanLiteral: an exhausted shard's position stays false whatever `more` says (no items were kept from it)
      if (position === false) return { shard, items: [] as Record<string, unknown>[], more: false };
      const response = await query.client.send(
        new QueryCommand({
          TableName: query.tableName,
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': index.partitionKey },
          ExpressionAttributeValues: { ':pk': shardedPartition(query.base, shard) },
          ScanIndexForward: !query.descending,
          Limit: page.limit,
          ...(position !== null && { ExclusiveStartKey: position }),
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
  const next = positions.map((position, shard): ShardPosition => {
    const { items, more } = read[shard]!;
    const fromShard = kept.filter((entry) => entry.shard === shard);
    const last = fromShard.at(-1);
    if (fromShard.length === items.length && !more) return false;
    if (last === undefined) return position;
    return Object.fromEntries(index.keyAttributes.map((attribute) => [attribute, String(last.item[attribute])]));
  });
  return { items: kept.map(({ item }) => query.map(item)), nextCursor: encodeShardCursor(next) };
}
