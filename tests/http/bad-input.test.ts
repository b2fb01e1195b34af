import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '../support/http.ts';
import { catalogProductIds, idempotencyRecords, ordersOfCustomer, productItem } from '../support/table.ts';
import { createUser, type TestUser } from '../support/users.ts';

// Every kind of bad input gets a 4xx problem+json naming the field, never a 5xx, and writes
// nothing. "Nothing" is checked where each request could have written: the caller's orders,
// the idempotency records, the catalog and the product it targeted.

const address = { name: 'Eve', line1: '3 Oak St', city: 'Ogdenville', postalCode: '99999', country: 'US' };

describe('bad input', () => {
  let customer: TestUser;
  let admin: TestUser;
  let productId: string;
  const item = () => ({ productId, quantity: 1 });

  beforeAll(async () => {
    [customer, admin] = await Promise.all([createUser(), createUser(['admin'])]);
    // A product of this file's own, which no saga of another test reserves stock of meanwhile.
    const created = await api('POST', '/products', { token: admin.token, body: { name: 'Bad Input Fixture', price: 100 } });
    productId = created.json.productId;
    await api('PUT', `/products/${productId}/stock`, { token: admin.token, body: { stock: 10 } });
  });

  async function expectNothingWritten(request: () => Promise<{ status: number; json: any; headers: Headers }>) {
    const before = {
      orders: await ordersOfCustomer(customer.sub),
      idempotency: await idempotencyRecords(),
      catalog: await catalogProductIds(),
      product: await productItem(productId),
    };
    const response = await request();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(response.json)).not.toMatch(/\bat .+:\d+:\d+|node_modules|Exception/);
    expect(await ordersOfCustomer(customer.sub)).toEqual(before.orders);
    expect(await idempotencyRecords()).toEqual(before.idempotency);
    expect(await catalogProductIds()).toEqual(before.catalog);
    expect(await productItem(productId)).toEqual(before.product);
    return response;
  }

  const fields = (response: { json: { errors?: { field: string }[] } }) => (response.json.errors ?? []).map((e) => e.field);

  describe('POST /orders', () => {
    const place = (body: unknown, headers: Record<string, string> = { 'Idempotency-Key': randomUUID() }) =>
      api('POST', '/orders', { token: customer.token, body, headers });

    it.each<[string, () => unknown, string]>([
      ['an unknown product', () => ({ items: [{ productId: randomUUID(), quantity: 1 }], shippingAddress: address }), 'items[0].productId'],
      ['a product id that is not a UUID', () => ({ items: [{ productId: 'espresso', quantity: 1 }], shippingAddress: address }), 'items[0].productId'],
      ['a quantity of zero', () => ({ items: [{ productId, quantity: 0 }], shippingAddress: address }), 'items[0].quantity'],
      ['a negative quantity', () => ({ items: [{ productId, quantity: -3 }], shippingAddress: address }), 'items[0].quantity'],
      ['an absurdly large quantity', () => ({ items: [{ productId, quantity: 10 ** 12 }], shippingAddress: address }), 'items[0].quantity'],
      ['a quantity that is a string', () => ({ items: [{ productId, quantity: '1' }], shippingAddress: address }), 'items[0].quantity'],
      ['a fractional quantity', () => ({ items: [{ productId, quantity: 0.5 }], shippingAddress: address }), 'items[0].quantity'],
      ['too many lines', () => ({ items: Array.from({ length: 26 }, item), shippingAddress: address }), 'items'],
      ['no lines', () => ({ items: [], shippingAddress: address }), 'items'],
      ['items that are not a list', () => ({ items: 'all of them', shippingAddress: address }), 'items'],
      ['the same product twice', () => ({ items: [item(), item()], shippingAddress: address }), 'items[1].productId'],
      ['a client-supplied price', () => ({ items: [{ ...item(), price: 1 }], shippingAddress: address }), 'items[0].price'],
      ['a client-supplied total', () => ({ items: [item()], shippingAddress: address, total: 1 }), 'total'],
      ['a client-supplied status', () => ({ items: [item()], shippingAddress: address, status: 'SHIPPED' }), 'status'],
      ['a client-supplied customerId', () => ({ items: [item()], shippingAddress: address, customerId: 'someone' }), 'customerId'],
      ['an unknown field', () => ({ items: [item()], shippingAddress: address, coupon: 'FREE' }), 'coupon'],
      ['a missing shipping address', () => ({ items: [item()] }), 'shippingAddress'],
      ['a country that is not a code', () => ({ items: [item()], shippingAddress: { ...address, country: 'Narnia' } }), 'shippingAddress.country'],
      ['a body that is an array', () => [item()], 'body'],
    ])('refuses %s', async (_, body, field) => {
      const response = await expectNothingWritten(() => place(body()));
      expect(response.status).toBe(400);
      expect(fields(response)).toContain(field);
    });

    it('refuses malformed JSON', async () => {
      const response = await expectNothingWritten(() =>
        place('{"items": [{"productId": ', { 'Idempotency-Key': randomUUID(), 'Content-Type': 'application/json' }),
      );
      expect(response.status).toBe(400);
      expect(fields(response)).toEqual(['body']);
    });

    it('refuses an empty body', async () => {
      const response = await expectNothingWritten(() => place(''));
      expect(response.status).toBe(400);
    });

    it('refuses a missing Idempotency-Key', async () => {
      const response = await expectNothingWritten(() => place({ items: [item()], shippingAddress: address }, {}));
      expect(response.status).toBe(400);
      expect(fields(response)).toEqual(['header:Idempotency-Key']);
    });

    it('refuses an oversized body with 413', async () => {
      const huge = { items: [item()], shippingAddress: { ...address, line2: 'x'.repeat(40_000) } };
      const response = await expectNothingWritten(() => place(huge));
      expect(response.status).toBe(413);
    });

    it('refuses a body that is not JSON with 415', async () => {
      const response = await expectNothingWritten(() =>
        api('POST', '/orders', {
          token: customer.token,
          body: 'items=1',
          headers: { 'Idempotency-Key': randomUUID(), 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
      );
      expect(response.status).toBe(415);
    });
  });

  describe('paths and queries', () => {
    it.each([
      ['GET', '/orders/not-a-uuid', 'orderId'],
      ['POST', '/orders/not-a-uuid/cancel', 'orderId'],
      ['GET', '/orders?limit=0', 'limit'],
      ['GET', '/orders?limit=1000', 'limit'],
      ['GET', '/orders?limit=ten', 'limit'],
      ['GET', '/orders?cursor=bm90LWpzb24', 'cursor'],
      ['GET', '/products?cursor=%7B%7D', 'cursor'],
      ['GET', '/products?maxAge=61', 'maxAge'],
      ['GET', '/products?maxAge=soon', 'maxAge'],
      ['GET', '/products/not-a-uuid', 'productId'],
    ])('%s %s → 400 naming %s', async (method, path, field) => {
      const response = await expectNothingWritten(() => api(method, path, { token: customer.token }));
      expect(response.status).toBe(400);
      expect(fields(response)).toContain(field);
    });

    it('answers 404 for an order or product that does not exist', async () => {
      expect((await api('GET', `/orders/${randomUUID()}`, { token: customer.token })).status).toBe(404);
      expect((await api('GET', `/products/${randomUUID()}`)).status).toBe(404);
      expect((await api('POST', `/orders/${randomUUID()}/cancel`, { token: customer.token })).status).toBe(404);
    });

    it.each([['status=LOST'], [''], ['status=PENDING&limit=-1']])('GET /admin/orders?%s → 400', async (query) => {
      const response = await expectNothingWritten(() => api('GET', `/admin/orders?${query}`, { token: admin.token }));
      expect(response.status).toBe(400);
    });
  });

  describe('pagination cursors', () => {
    // A cursor is a LastEvaluatedKey the client sends back; DynamoDB answers an empty, oversized
    // or misshapen key value with a ValidationException, so none of these may reach it.
    const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    // The catalog and the status lists read 16 shards: their cursor holds the index sort key of the
    // last item handed out (sharded-index.ts), here taken from the key, and the shards read to their end.
    const shardCursor = (key: Record<string, unknown>) => cursor({ after: key.GSI1PK === undefined ? key.GSI2SK : key.GSI1SK, done: [] });
    const uuid = '3f0c2a52-7a4e-4d1c-9a53-0b8f3d4f9e21';
    const routes: [string, (key: Record<string, unknown>) => string, () => Record<string, string>, () => TestUser | undefined][] = [
      ['GET /products', (key) => `/products?cursor=${shardCursor(key)}`, () => ({ GSI1PK: 'CATALOG#0' }), () => undefined],
      ['GET /orders', (key) => `/orders?cursor=${cursor(key)}`, () => ({ GSI1PK: `CUSTOMER#${customer.sub}` }), () => customer],
      ['GET /admin/orders', (key) => `/admin/orders?status=PENDING&cursor=${shardCursor(key)}`, () => ({ GSI2PK: 'STATUS#PENDING#0' }), () => admin],
    ];
    const sortKeyOf = (partition: Record<string, string>) => (Object.keys(partition)[0] === 'GSI2PK' ? 'GSI2SK' : 'GSI1SK');

    it.each(routes)('%s refuses empty, oversized and foreign cursor parts with a 400 naming cursor', async (_, path, partition, user) => {
      const index = sortKeyOf(partition());
      const cases: [string, Record<string, unknown>][] = [
        ['every key value empty', { PK: '', SK: '', ...partition(), [index]: '' }],
        // A sharded list's cursor carries no table key: only the plain list can be handed an empty one.
        ...(path({}).startsWith('/orders') ? [['an empty sort key', { PK: `ORDER#${uuid}`, SK: '', ...partition(), [index]: `ORDER#2026-11-29T10:00:00.000Z#${uuid}` }] as [string, Record<string, unknown>]] : []),
        ['an index sort key over 1024 bytes', { PK: `PRODUCT#${uuid}`, SK: 'PRODUCT', ...partition(), [index]: `PRODUCT#${'é'.repeat(520)}\u001f${uuid}` }],
        ['a key of another partition', { PK: `ORDER#${uuid}`, SK: 'ORDER', GSI1PK: 'CUSTOMER#someone-else', GSI1SK: `ORDER#2026-11-29T10:00:00.000Z#${uuid}` }],
        ['a key with typed values', { PK: { S: `ORDER#${uuid}` }, SK: { S: 'ORDER' }, ...partition(), [index]: { S: 'x' } }],
        ['a key of the table, not the index', { PK: `ORDER#${uuid}`, SK: 'ORDER' }],
      ];
      for (const [what, key] of cases) {
        const response = await expectNothingWritten(() => api('GET', path(key), user() === undefined ? {} : { token: user()!.token }));
        expect(response.status, what).toBe(400);
        expect(fields(response), what).toEqual(['cursor']);
      }
    });

    it('refuses the catalog cursor of the issue without a token', async () => {
      const response = await expectNothingWritten(() => api('GET', `/products?cursor=${cursor({ PK: '', SK: '', GSI1PK: 'CATALOG', GSI1SK: '' })}`));
      expect([response.status, fields(response)]).toEqual([400, ['cursor']]);
      const sharded = await expectNothingWritten(() => api('GET', `/products?cursor=${shardCursor({ PK: '', SK: '', GSI1PK: 'CATALOG#0', GSI1SK: '' })}`));
      expect([sharded.status, fields(sharded)]).toEqual([400, ['cursor']]);
    });

    it('refuses a sharded cursor naming a shard the list does not have, or every shard as read', async () => {
      for (const done of [[16], Array.from({ length: 16 }, (_, shard) => shard)]) {
        const response = await expectNothingWritten(() =>
          api('GET', `/admin/orders?status=PENDING&cursor=${cursor({ after: `2026-11-29T10:00:00.000Z#${uuid}`, done })}`, { token: admin.token }),
        );
        expect([response.status, fields(response)]).toEqual([400, ['cursor']]);
      }
    });

    it.each(routes)('%s answers an empty cursor parameter with a 400', async (_, path, __, user) => {
      const response = await expectNothingWritten(() =>
        api('GET', `${path({}).split('cursor=')[0]}cursor=`, user() === undefined ? {} : { token: user()!.token }),
      );
      expect([response.status, fields(response)]).toEqual([400, ['cursor']]);
    });

    it('still pages with the cursors it hands out', async () => {
      const first = await api('GET', '/products?limit=1');
      expect(first.status).toBe(200);
      expect(first.json.nextCursor).toEqual(expect.any(String));
      const next = await api('GET', `/products?limit=1&cursor=${first.json.nextCursor}`);
      expect(next.status).toBe(200);
    });
  });

  describe('a field of the wrong type says what is wrong with it', () => {
    it.each<[string, string, () => string, () => TestUser, () => unknown, string, string]>([
      ['a price with cents', 'POST', () => '/products', () => admin, () => ({ name: 'x', price: 9.99 }), 'price', 'must be a whole number of minor units (cents), not 9.99'],
      ['a price as a string', 'POST', () => '/products', () => admin, () => ({ name: 'x', price: '999' }), 'price', 'must be a whole number of minor units (cents), not a string'],
      ['a nested array as a name', 'POST', () => '/products', () => admin, () => ({ name: [['x']], price: 100 }), 'name', 'must be a string, not a list'],
      ['a null name', 'POST', () => '/products', () => admin, () => ({ name: null, price: 100 }), 'name', 'must be a string, not null'],
      ['a missing name', 'POST', () => '/products', () => admin, () => ({ price: 100 }), 'name', 'is required'],
      ['a string quantity', 'POST', () => '/orders', () => customer, () => ({ items: [{ productId, quantity: '1' }], shippingAddress: address }), 'items[0].quantity', 'must be a whole number, not a string'],
    ])('%s', async (_, method, path, user, body, field, message) => {
      const response = await expectNothingWritten(() =>
        api(method, path(), { token: user().token, body: body(), headers: { 'Idempotency-Key': randomUUID() } }),
      );
      expect(response.status).toBe(400);
      expect(response.json.errors).toContainEqual({ field, message });
    });

    it('limit=abc', async () => {
      const response = await expectNothingWritten(() => api('GET', '/orders?limit=abc', { token: customer.token }));
      expect(response.status).toBe(400);
      expect(response.json.errors).toEqual([{ field: 'limit', message: 'must be a number' }]);
    });
  });

  describe('catalog administration', () => {
    it.each<[string, string, () => string, unknown, string]>([
      ['a price with cents as a fraction', 'POST', () => '/products', { name: 'Cup', price: 12.99 }, 'price'],
      ['a negative price', 'POST', () => '/products', { name: 'Cup', price: -5 }, 'price'],
      ['a missing name', 'POST', () => '/products', { price: 500 }, 'name'],
      ['a product with stock on creation', 'POST', () => '/products', { name: 'Cup', price: 500, stock: 10 }, 'stock'],
      ['an empty change', 'PUT', () => `/products/${productId}`, {}, 'body'],
      ['a change to an unknown field', 'PUT', () => `/products/${productId}`, { sku: 'X' }, 'sku'],
      ['negative stock', 'PUT', () => `/products/${productId}/stock`, { stock: -1 }, 'stock'],
      ['stock as a string', 'PUT', () => `/products/${productId}/stock`, { stock: '5' }, 'stock'],
      ['absurd stock', 'PUT', () => `/products/${productId}/stock`, { stock: 10 ** 10 }, 'stock'],
    ])('refuses %s', async (_, method, path, body, field) => {
      const response = await expectNothingWritten(() => api(method, path(), { token: admin.token, body }));
      expect(response.status).toBe(400);
      expect(fields(response)).toContain(field);
    });

    it('answers 404 when changing a product that does not exist, creating nothing', async () => {
      const missing = randomUUID();
      const response = await expectNothingWritten(() => api('PUT', `/products/${missing}/stock`, { token: admin.token, body: { stock: 1 } }));
      expect(response.status).toBe(404);
      expect(await productItem(missing)).toBeUndefined();
    });
  });

  describe('junk never causes a 5xx', () => {
    const junk: string[] = [
      'null',
      '42',
      '"text"',
      'true',
      '{}',
      '{"items": null}',
      '{"items": [null]}',
      '{"items": [{"productId": null, "quantity": null}]}',
      '{"items": [{"productId": {"$ne": ""}, "quantity": 1}]}',
      '{"__proto__": {"admin": true}, "items": []}',
      '{"constructor": {"prototype": {"x": 1}}}',
      `{"items": [{"productId": "${'9'.repeat(5000)}", "quantity": 1e400}]}`,
      `{"a": ${'['.repeat(500)}${']'.repeat(500)}}`,
      '{"name": "\u0000\ud800", "price": "NaN"}',
      '{"stock": 1e308}',
      '{"price": 9007199254740993}',
    ];
    const routes: [string, () => string, () => TestUser][] = [
      ['POST', () => '/orders', () => customer],
      ['POST', () => '/products', () => admin],
      ['PUT', () => `/products/${productId}`, () => admin],
      ['PUT', () => `/products/${productId}/stock`, () => admin],
    ];

    it.each(routes)('%s %s answers every junk body with a 4xx problem and writes nothing', async (method, path, user) => {
      for (const body of junk) {
        const response = await expectNothingWritten(() =>
          api(method, path(), {
            token: user().token,
            body,
            headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
          }),
        );
        expect(response.status, body.slice(0, 60)).toBeLessThan(500);
      }
    });
  });
});
