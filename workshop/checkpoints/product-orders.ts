import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { productKey, stockCounterKeys } from '../../layers/shared/src/platform/table/keys.ts';
import type { ApiFetch, CheckpointContext } from './context.ts';

/**
 * What the checkpoints of modules 2 and 4 look at: the product a module's steps created (by its
 * name; the newest, when a learner ran the module twice) and alice's orders of it, read the way
 * the learner read them, through the API and the table.
 */

export interface Product {
  productId: string;
  name: string;
  createdAt: string;
}

export interface OrderLine {
  productId: string;
  quantity: number;
}

export interface Order {
  orderId: string;
  status: string;
  statusReason?: string;
  paymentMethod?: string;
  createdAt: string;
  lines: OrderLine[];
}

interface Page<T> {
  items: T[];
  nextCursor?: string;
}

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what} answered ${response.status}`);
  return (await response.json()) as T;
}

/** The newest product of the catalog with this exact name, or undefined. */
export async function newestProductNamed(cloud: CheckpointContext, name: string): Promise<Product | undefined> {
  let newest: Product | undefined;
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor !== undefined && { cursor }) });
    const page = await json<Page<Product>>(await cloud.api(`/products?${query}`), 'GET /products');
    for (const product of page.items) {
      if (product.name === name && (newest === undefined || product.createdAt > newest.createdAt)) newest = product;
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return newest;
}

/** The caller's orders (newest first, as GET /orders lists them) placed since `since`, with a line of `productId`, each with its lines. */
export async function ordersOfProduct(customer: ApiFetch, productId: string, since: string): Promise<Order[]> {
  const candidates: string[] = [];
  let cursor: string | undefined;
  listing: do {
    const query = new URLSearchParams({ limit: '100', ...(cursor !== undefined && { cursor }) });
    const page = await json<Page<Order>>(await customer(`/orders?${query}`), 'GET /orders');
    for (const order of page.items) {
      if (order.createdAt < since) break listing;
      candidates.push(order.orderId);
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);

  // A few at a time: the API's functions have a handful of warm environments, not one per order.
  const orders: Order[] = [];
  for (let start = 0; start < candidates.length; start += 4) {
    const batch = candidates.slice(start, start + 4);
    orders.push(...(await Promise.all(batch.map(async (orderId) => json<Order>(await customer(`/orders/${orderId}`), `GET /orders/${orderId}`)))));
  }
  return orders.filter((order) => order.lines.some((line) => line.productId === productId));
}

export const quantityOf = (order: Order, productId: string): number =>
  order.lines.filter((line) => line.productId === productId).reduce((sum, line) => sum + line.quantity, 0);

/** Reads items of the orders table by key, strongly consistent, as the steps did with `aws dynamodb get-item`. */
export function tableReader(cloud: CheckpointContext): (PK: string, SK: string) => Promise<Record<string, unknown> | undefined> {
  const documents = DynamoDBDocumentClient.from(cloud.client(DynamoDBClient));
  return async (PK, SK) => (await documents.send(new GetCommand({ TableName: cloud.table, Key: { PK, SK }, ConsistentRead: true }))).Item;
}

/**
 * A product's units, available, held for orders and shipped: each summed over its stock counter
 * items (`STOCK#<id>#<n>`, docs/data-model.md); undefined when the product has no item.
 */
export async function unitsOf(read: ReturnType<typeof tableReader>, productId: string): Promise<{ stock: number; reserved: number; shipped: number } | undefined> {
  if ((await read(productKey(productId).PK, productKey(productId).SK)) === undefined) return undefined;
  const count = (value: unknown) => (typeof value === 'number' ? value : 0);
  const units = { stock: 0, reserved: 0, shipped: 0 };
  for (const key of stockCounterKeys(productId)) {
    const counter = await read(key.PK, key.SK);
    units.stock += count(counter?.stock);
    units.reserved += count(counter?.reserved);
    units.shipped += count(counter?.shipped);
  }
  return units;
}
