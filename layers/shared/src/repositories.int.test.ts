import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from './platform/errors.ts';
import type { Order } from './orders/order.ts';
import { OrderRepository } from './orders/order-repository.ts';
import { ProductRepository } from './catalog/product-repository.ts';
import { StockRepository } from './fulfilment/stock-repository.ts';
import { productKey, STOCK_COUNTERS, stockCounterKeys } from './platform/table/keys.ts';

// Runs against DynamoDB Local with the table created from template.yaml by the global setup.
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);
const products = new ProductRepository(client, inject('tableName'));
const orders = new OrderRepository(client, inject('tableName'));
const stock = new StockRepository(client, inject('tableName'));
const now = () => new Date().toISOString();

function newOrder(customerId: string, createdAt: string): Order {
  return {
    orderId: randomUUID(),
    customerId,
    status: 'PENDING',
    currency: 'USD',
    lines: [
      { productId: randomUUID(), productName: 'A', unitPrice: 100, quantity: 2, lineTotal: 200 },
      { productId: randomUUID(), productName: 'B', unitPrice: 50, quantity: 1, lineTotal: 50 },
    ],
    total: 250,
    shippingAddress: { name: 'N', line1: 'L', city: 'C', postalCode: 'P', country: 'US' },
    paymentMethod: 'tok_visa',
    createdAt,
    updatedAt: createdAt,
  };
}

/** A product's counter items (strongly consistent), counter 0 first; those never written are absent. */
async function counterItems(productId: string): Promise<Record<string, unknown>[]> {
  const { Responses } = await client.send(
    new BatchGetCommand({ RequestItems: { [inject('tableName')]: { Keys: stockCounterKeys(productId), ConsistentRead: true } } }),
  );
  expect(stockCounterKeys(productId)).toHaveLength(STOCK_COUNTERS);
  return (Responses?.[inject('tableName')] ?? []).sort((a, b) => (a.counter as number) - (b.counter as number));
}

async function listAll() {
  const seen = [];
  let cursor: string | undefined;
  do {
    const page = await products.list({ limit: 100, cursor });
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return seen;
}

describe('ProductRepository on DynamoDB Local', () => {
  it('creates, reads, changes and restocks a product', async () => {
    const created = await products.create({ name: 'Int test kettle', description: 'd', price: 4900, currency: 'USD' }, now());
    expect(await products.get(created.productId)).toEqual(created);

    const renamed = await products.update(created.productId, { name: 'Int test kettle II', price: 4500 }, now());
    expect(renamed).toMatchObject({ name: 'Int test kettle II', price: 4500, description: 'd', stock: 0 });

    const restocked = await products.setStock(created.productId, 7, now());
    expect(restocked.stock).toBe(7);
    expect(restocked.name).toBe('Int test kettle II');
  });

  it('never upserts: changing a missing product is a 404', async () => {
    await expect(products.update(randomUUID(), { price: 1 }, now())).rejects.toBeInstanceOf(NotFoundError);
    const missing = randomUUID();
    await expect(products.setStock(missing, 1, now())).rejects.toBeInstanceOf(NotFoundError);
    // Nor does restocking a missing product leave counters behind.
    expect(await counterItems(missing)).toEqual([]);
  });

  it('keeps stock in counter items only, spread by setStock, and bumps the product when it is restocked', async () => {
    const created = await products.create({ name: 'Int counters', description: '', price: 1, currency: 'USD' }, '2026-11-30T00:00:00.000Z');
    const { Item: stored } = await client.send(new GetCommand({ TableName: inject('tableName'), Key: productKey(created.productId) }));
    expect(stored).not.toHaveProperty('stock');
    // Created without counters: they count 0.
    expect(await counterItems(created.productId)).toEqual([]);

    const restocked = await products.setStock(created.productId, 10, '2026-11-30T01:00:00.000Z');
    expect(restocked).toMatchObject({ stock: 10, updatedAt: '2026-11-30T01:00:00.000Z', createdAt: '2026-11-30T00:00:00.000Z' });
    const items = await counterItems(created.productId);
    expect(items.map((item) => [item.counter, item.stock, item.reserved, item.shipped])).toEqual([
      [0, 3, 0, 0],
      [1, 3, 0, 0],
      [2, 2, 0, 0],
      [3, 2, 0, 0],
    ]);
    expect(items.every((item) => item.type === 'StockCounter' && item.GSI1PK === undefined && item.productId === created.productId)).toBe(true);
  });

  it('answers every product read with the sum of its counters, and setStock leaves units held by orders alone', async () => {
    const product = await products.create({ name: 'Int summed', description: '', price: 1, currency: 'USD' }, now());
    await products.setStock(product.productId, 9, now());
    await stock.reserve(randomUUID(), [{ productId: product.productId, quantity: 4 }], now());

    expect((await products.get(product.productId))?.stock).toBe(5);
    const listed = await listAll();
    expect(listed.find((item) => item.productId === product.productId)?.stock).toBe(5);
    expect((await products.update(product.productId, { price: 2 }, now())).stock).toBe(5);

    // Restocking sets what is available; the 4 units the order holds stay reserved.
    expect((await products.setStock(product.productId, 2, now())).stock).toBe(2);
    const items = await counterItems(product.productId);
    expect(items.reduce((sum, item) => sum + (item.reserved as number), 0)).toBe(4);
    expect(items.map((item) => item.stock)).toEqual([1, 1, 0, 0]);
  });


  it('prices many products at once without their stock: the items alone, the unknown ones left out', async () => {
    const product = await products.create({ name: 'Int priced one', description: 'p', price: 1250, currency: 'USD' }, now());
    const other = await products.create({ name: 'Int priced two', description: '', price: 2, currency: 'USD' }, now());
    await products.setStock(product.productId, 3, now());
    const priced = await products.getPricing([product.productId, other.productId, product.productId, randomUUID()]);
    expect([...priced.keys()].sort()).toEqual([product.productId, other.productId].sort());
    const { stock: _stock, ...pricing } = (await products.get(product.productId))!;
    expect(priced.get(product.productId)).toEqual(pricing);
    expect(priced.get(product.productId)).not.toHaveProperty('stock');
  });

  it('pages through the whole catalog by name with opaque cursors, each product once', async () => {
    const names = ['Int page 3', 'Int page 1', 'Int page 2'];
    const created = await Promise.all(names.map((name) => products.create({ name, description: '', price: 1, currency: 'USD' }, now())));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await products.list({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((product) => product.productId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(new Set(seen).size).toBe(seen.length);
    for (const product of created) expect(seen).toContain(product.productId);
    const ours = seen.filter((id) => created.some((product) => product.productId === id));
    expect(ours).toEqual(['Int page 1', 'Int page 2', 'Int page 3'].map((name) => created.find((p) => p.name === name)?.productId));
  });
});

describe('OrderRepository on DynamoDB Local', () => {
  it('writes an order with its lines in one transaction and reads it back whole', async () => {
    const order = newOrder(`customer-${randomUUID()}`, now());
    await orders.create(order, { correlationId: 'corr-1', now: order.createdAt });
    expect(await orders.get(order.orderId)).toEqual(order);
  });

  it('refuses to write the same order twice', async () => {
    const order = newOrder(`customer-${randomUUID()}`, now());
    await expect(orders.create(order, { correlationId: 'c', now: order.createdAt })).resolves.toBe('created');
    // The second write says so and writes nothing: the stored order keeps the first one's values.
    const again = { ...order, total: 1, lines: order.lines.map((line) => ({ ...line, quantity: 99 })) };
    await expect(orders.create(again, { correlationId: 'c', now: order.createdAt })).resolves.toBe('exists');
    expect(await orders.get(order.orderId)).toEqual(order);
  });

  it('lists a customer’s orders newest first, paginated, and nobody else’s', async () => {
    const customer = `customer-${randomUUID()}`;
    const placed = [];
    for (let index = 0; index < 3; index += 1) {
      const order = newOrder(customer, new Date(Date.UTC(2026, 0, 1 + index)).toISOString());
      await orders.create(order, { correlationId: 'c', now: order.createdAt });
      placed.push(order);
    }
    await orders.create(newOrder(`other-${randomUUID()}`, now()), { correlationId: 'c', now: now() });

    const first = await orders.listByCustomer(customer, { limit: 2 });
    expect(first.items.map((order) => order.orderId)).toEqual([placed[2]?.orderId, placed[1]?.orderId]);
    expect(first.items[0]).toMatchObject({ lineCount: 2, total: 250 });
    const second = await orders.listByCustomer(customer, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((order) => order.orderId)).toEqual([placed[0]?.orderId]);
  });

  it('refuses a cursor taken from another customer’s list', async () => {
    const victim = `customer-${randomUUID()}`;
    for (let index = 0; index < 2; index += 1) {
      const order = newOrder(victim, now());
      await orders.create(order, { correlationId: 'c', now: order.createdAt });
    }
    const victimsPage = await orders.listByCustomer(victim, { limit: 1 });
    expect(victimsPage.nextCursor).toBeDefined();
    await expect(orders.listByCustomer('attacker', { limit: 1, cursor: victimsPage.nextCursor })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('moves an order only along the lifecycle, and lists it under its new status', async () => {
    const order = newOrder(`customer-${randomUUID()}`, now());
    await orders.create(order, { correlationId: 'c', now: order.createdAt });

    await expect(
      orders.transition(order.orderId, 'CANCELLED', { customerId: 'someone-else', correlationId: 'c2', now: now() }),
    ).rejects.toBeInstanceOf(ConflictError);

    const { order: cancelled } = await orders.transition(order.orderId, 'CANCELLED', {
      customerId: order.customerId,
      correlationId: 'c2',
      now: now(),
    });
    expect(cancelled.status).toBe('CANCELLED');
    await expect(orders.transition(order.orderId, 'SHIPPED', { correlationId: 'c3', now: now() })).rejects.toThrow(
      /is CANCELLED and cannot become SHIPPED/,
    );
    await expect(orders.transition(randomUUID(), 'CANCELLED', { correlationId: 'c', now: now() })).rejects.toBeInstanceOf(
      NotFoundError,
    );

    let found = false;
    let cursor: string | undefined;
    do {
      const page = await orders.listByStatus('CANCELLED', { limit: 100, cursor });
      found ||= page.items.some((item) => item.orderId === order.orderId);
      cursor = page.nextCursor;
    } while (cursor !== undefined && !found);
    expect(found).toBe(true);
  });
});
