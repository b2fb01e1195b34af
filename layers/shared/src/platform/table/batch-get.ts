import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchGetItem takes at most 100 keys a request. */
export const BATCH_GET_LIMIT = 100;
const MAX_BATCH_GET_ATTEMPTS = 5;

/**
 * Reads items by key with BatchGetItem: in requests of up to 100 keys (run in parallel), asking
 * again, with backoff, for the keys DynamoDB leaves unprocessed under load. Items that do not
 * exist are simply absent from the answer, which is in no particular order.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  options: { consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const chunks: Record<string, unknown>[][] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) chunks.push(keys.slice(start, start + BATCH_GET_LIMIT));
  const read = await Promise.all(
    chunks.map(async (chunk) => {
      const items: Record<string, unknown>[] = [];
      let pending = chunk;
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > MAX_BATCH_GET_ATTEMPTS) throw new Error('Table read did not complete: too many unprocessed keys');
        const response = await client.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...(options.consistent === true && { ConsistentRead: true }) } } }),
        );
        items.push(...(response.Responses?.[tableName] ?? []));
        pending = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 10));
      }
      return items;
    }),
  );
  return read.flat();
}
