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
export const idempotencyRecords = () => partition({ name: 'PK', value: 'IDEMPOTENCY#orders' });
export const catalogItems = () => partition({ name: 'GSI1PK', value: 'CATALOG' }, 'GSI1');

export async function productItem(productId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: { PK: `PRODUCT#${productId}`, SK: 'PRODUCT' } }),
  );
  return Item;
}
