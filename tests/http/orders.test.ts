import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '../support/http.ts';
import { idempotencyRecords, orderIdsOfCustomer, ordersOfCustomer } from '../support/table.ts';
import { createUser, type TestUser } from '../support/users.ts';

interface Product {
  productId: string;
  name: string;
  price: number;
}

const address = { name: 'Test Customer', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

describe('placing and reading orders over HTTP', () => {
  let customer: TestUser;
  let first: Product;
  let second: Product;

  beforeAll(async () => {
    customer = await createUser();
    const [firstId, secondId] = inject('productIds');
    first = (await api('GET', `/products/${firstId}`)).json;
    second = (await api('GET', `/products/${secondId}`)).json;
  });

  const place = (body: unknown, key: string = randomUUID(), user: TestUser = customer) =>
    api('POST', '/orders', { token: user.token, body, headers: { 'Idempotency-Key': key } });

  it('places a PENDING order priced from the catalog, and returns it with its location', async () => {
    const response = await place({
      items: [
        { productId: first.productId, quantity: 2 },
        { productId: second.productId, quantity: 1 },
      ],
      shippingAddress: address,
    });
    expect(response.status).toBe(201);
    const order = response.json;
    expect(order).toMatchObject({ status: 'PENDING', customerId: customer.sub, currency: 'USD' });
    expect(order.total).toBe(first.price * 2 + second.price);
    expect(order.lines).toEqual([
      { productId: first.productId, productName: first.name, unitPrice: first.price, quantity: 2, lineTotal: first.price * 2 },
      { productId: second.productId, productName: second.name, unitPrice: second.price, quantity: 1, lineTotal: second.price },
    ]);
    expect(response.headers.get('location')).toBe(`/orders/${order.orderId}`);

    const read = await api('GET', `/orders/${order.orderId}`, { token: customer.token });
    expect(read.status).toBe(200);
    // The fulfilment saga may already have moved the order on; everything else is as placed.
    const { status: _status, updatedAt: _updatedAt, ...placedAs } = order;
    expect(read.json).toMatchObject(placedAs);
  });

  it('returns the same order for a retried request with the same key and body, storing it once', async () => {
    const key = randomUUID();
    const body = { items: [{ productId: first.productId, quantity: 1 }], shippingAddress: address };
    const before = (await ordersOfCustomer(customer.sub)).length;

    const original = await place(body, key);
    const retry = await place(body, key);

    expect(original.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(original.json);
    expect((await ordersOfCustomer(customer.sub)).length).toBe(before + 1);
  });

  it('places one order when the same request is sent many times at once', async () => {
    const key = randomUUID();
    const body = { items: [{ productId: second.productId, quantity: 3 }], shippingAddress: address };
    const before = (await ordersOfCustomer(customer.sub)).length;

    const responses = await Promise.all(Array.from({ length: 5 }, () => place(body, key)));

    // One wins; the others either get its order back or are told to retry while it is in flight.
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const orderIds = new Set(responses.filter((r) => r.status === 201).map((r) => r.json.orderId));
    expect(orderIds.size).toBe(1);
    expect((await ordersOfCustomer(customer.sub)).length).toBe(before + 1);
  });

  it('refuses the same key with a different body (422), creating nothing', async () => {
    const key = randomUUID();
    await place({ items: [{ productId: first.productId, quantity: 1 }], shippingAddress: address }, key);
    const before = await orderIdsOfCustomer(customer.sub);

    const reused = await place({ items: [{ productId: first.productId, quantity: 5 }], shippingAddress: address }, key);

    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toBe('application/problem+json');
    expect(reused.json.title).toBe('Idempotency key reused');
    expect(await orderIdsOfCustomer(customer.sub)).toEqual(before);
  });

  it('scopes idempotency keys to the customer: two customers using one key get two orders', async () => {
    const other = await createUser();
    const key = randomUUID();
    const body = { items: [{ productId: first.productId, quantity: 1 }], shippingAddress: address };
    const mine = await place(body, key, customer);
    const theirs = await place(body, key, other);
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.json.orderId).not.toBe(mine.json.orderId);
    expect(theirs.json.customerId).toBe(other.sub);
  });

  it('lists only the caller’s orders, newest first, across pages with an opaque cursor', async () => {
    const lister = await createUser();
    const placed: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await place({ items: [{ productId: first.productId, quantity: 1 }], shippingAddress: address }, randomUUID(), lister);
      placed.push(response.json.orderId);
    }
    const page1 = await api('GET', '/orders?limit=2', { token: lister.token });
    expect(page1.status).toBe(200);
    expect(page1.json.items.map((order: { orderId: string }) => order.orderId)).toEqual([placed[2], placed[1]]);
    expect(typeof page1.json.nextCursor).toBe('string');

    const page2 = await api('GET', `/orders?limit=2&cursor=${encodeURIComponent(page1.json.nextCursor)}`, { token: lister.token });
    expect(page2.json.items.map((order: { orderId: string }) => order.orderId)).toEqual([placed[0]]);
    expect(page2.json.nextCursor).toBeUndefined();
  });

  it('lets the owner cancel a pending order once; a second cancel is a 409', async () => {
    const order = (await place({ items: [{ productId: first.productId, quantity: 1 }], shippingAddress: address })).json;
    const cancelled = await api('POST', `/orders/${order.orderId}/cancel`, { token: customer.token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ orderId: order.orderId, status: 'CANCELLED' });

    const again = await api('POST', `/orders/${order.orderId}/cancel`, { token: customer.token });
    expect(again.status).toBe(409);
    expect(again.json.detail).toMatch(/CANCELLED/);
    expect((await api('GET', `/orders/${order.orderId}`, { token: customer.token })).json.status).toBe('CANCELLED');
  });

  it('lets an admin list the orders of a status newest first, in pages over the index’s shards', async () => {
    const admin = await createUser(['admin']);
    const ours: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const order = (await place({ items: [{ productId: first.productId, quantity: 1 }], shippingAddress: address })).json;
      expect((await api('POST', `/orders/${order.orderId}/cancel`, { token: customer.token })).status).toBe(200);
      ours.push(order.orderId);
    }
    const seen: Array<{ orderId: string; createdAt: string }> = [];
    let cursor: string | undefined;
    for (let page = 0; page < 500; page += 1) {
      const query = cursor === undefined ? 'status=CANCELLED&limit=2' : `status=CANCELLED&limit=2&cursor=${encodeURIComponent(cursor)}`;
      const response = await api('GET', `/admin/orders?${query}`, { token: admin.token });
      expect(response.status).toBe(200);
      expect(response.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...response.json.items);
      cursor = response.json.nextCursor;
      if (cursor === undefined) break;
    }
    expect(cursor).toBeUndefined();
    const ids = seen.map((order) => order.orderId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ours) expect(ids).toContain(id);
    const created = seen.map((order) => order.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('answers a retry as the first attempt was answered, after the order has moved on, and keeps no record beside the order', async () => {
    const key = randomUUID();
    const body = { items: [{ productId: first.productId, quantity: 1 }], shippingAddress: address };
    const original = await place(body, key);
    expect((await api('POST', `/orders/${original.json.orderId}/cancel`, { token: customer.token })).status).toBe(200);

    const retry = await place(body, key);

    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(original.json);
    expect((await api('GET', `/orders/${original.json.orderId}`, { token: customer.token })).json.status).toBe('CANCELLED');
    // The order is its own idempotency record (D39): no record is written beside it.
    expect(await idempotencyRecords()).toEqual([]);
  });
});
