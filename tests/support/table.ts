import { BatchGetCommand, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { stockCounterKeys } from '../../layers/shared/src/platform/table/keys.ts';
import { documentClient, tableName } from './dynamodb.ts';

/** Every item of a partition (of the table or an index), for before/after comparisons. */
export async function partition(
  key: { name: string; value: string },
  indexName?: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: indexName,
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': key.name },
        ExpressionAttributeValues: { ':v': key.value },
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  return items;
}

export const ordersOfCustomer = (sub: string) => partition({ name: 'GSI1PK', value: `CUSTOMER#${sub}` }, 'GSI1');
/** Which orders a customer has, ignoring their (saga-driven) status changes. */
export const orderIdsOfCustomer = async (sub: string) => (await ordersOfCustomer(sub)).map((order) => order.orderId as string).sort();
/** Which products the catalog has, ignoring their (saga-driven) stock changes. */
export const catalogProductIds = async () => (await catalogItems()).map((product) => product.productId as string).sort();
/**
 * Every item keyed as a Powertools idempotency record (`IDEMPOTENCY#…`), which placing an order
 * wrote until the order became its own record (D39): the tests check none come back. Only a
 * Scan finds them all: a test's view, never an access pattern of the application.
 */
export async function idempotencyRecords(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'begins_with(PK, :idempotency)',
        ExpressionAttributeValues: { ':idempotency': 'IDEMPOTENCY#' },
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  return items;
}
/** The catalog's items, from every shard of its index partition (docs/scale.md). */
export const catalogItems = async () =>
  (await Promise.all(Array.from({ length: 16 }, (_, shard) => partition({ name: 'GSI1PK', value: `CATALOG#${shard}` }, 'GSI1')))).flat();

export async function productItem(productId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: { PK: `PRODUCT#${productId}`, SK: 'PRODUCT' } }),
  );
  return Item;
}

/**
 * A product's units: available (`stock`), held by orders (`reserved`) and `shipped`, each summed
 * over its stock counter items (docs/data-model.md), strongly consistent. Counters never written count 0.
 */
export async function productUnits(productId: string): Promise<{ stock: number; reserved: number; shipped: number }> {
  const { Responses } = await documentClient().send(
    new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: stockCounterKeys(productId), ConsistentRead: true } } }),
  );
  const units = { stock: 0, reserved: 0, shipped: 0 };
  for (const counter of Responses?.[tableName()] ?? []) {
    units.stock += Number(counter.stock ?? 0);
    units.reserved += Number(counter.reserved ?? 0);
    units.shipped += Number(counter.shipped ?? 0);
  }
  return units;
}

/** An order's customer notifications (`NOTIFICATION#…` items under `ORDER#<id>`), oldest first. */
export async function notificationItems(orderId: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': `ORDER#${orderId}`, ':prefix': 'NOTIFICATION#' },
    }),
  );
  return Items;
}
