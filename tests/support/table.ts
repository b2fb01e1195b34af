import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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
export const idempotencyRecords = () => partition({ name: 'PK', value: 'IDEMPOTENCY#orders' });
export const catalogItems = () => partition({ name: 'GSI1PK', value: 'CATALOG' }, 'GSI1');

export async function productItem(productId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: { PK: `PRODUCT#${productId}`, SK: 'PRODUCT' } }),
  );
  return Item;
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
