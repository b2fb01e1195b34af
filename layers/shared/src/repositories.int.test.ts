import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from './platform/errors.ts';
import type { Order } from './orders/order.ts';
import { OrderRepository } from './orders/order-repository.ts';
import { ProductRepository } from './catalog/product-repository.ts';

// Runs against DynamoDB Local with the table created from template.yaml by the global setup.
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);
const products = new ProductRepository(client, inject('tableName'));
const orders = new OrderRepository(client, inject('tableName'));
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
    await expect(products.setStock(randomUUID(), 1, now())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads many products at once, leaving out the unknown ones', async () => {
    const a = await products.create({ name: 'Int A', description: '', price: 1, currency: 'USD' }, now());
    const b = await products.create({ name: 'Int B', description: '', price: 2, currency: 'USD' }, now());
    const found = await products.getMany([a.productId, b.productId, randomUUID()]);
    expect([...found.keys()].sort()).toEqual([a.productId, b.productId].sort());
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
