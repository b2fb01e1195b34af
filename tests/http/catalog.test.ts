import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '../support/http.ts';
import { createUser, type TestUser } from '../support/users.ts';

describe('the catalog over HTTP', () => {
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(['admin']);
  });

  it('lists the seeded catalog publicly, by name, in pages', async () => {
    const seen: { productId: string; name: string }[] = [];
    let cursor: string | undefined;
    do {
      const query = cursor === undefined ? 'limit=4' : `limit=4&cursor=${encodeURIComponent(cursor)}`;
      const page = await api('GET', `/products?${query}`);
      expect(page.status).toBe(200);
      seen.push(...page.json.items);
      cursor = page.json.nextCursor;
    } while (cursor !== undefined);
    for (const id of inject('productIds')) expect(seen.map((product) => product.productId)).toContain(id);
    const names = seen.map((product) => product.name.toLowerCase());
    expect(names).toEqual([...names].sort());
  });

  it('lists a name before the longer names it begins ("x" before "x stand")', async () => {
    // Digits sort before letters: both are on the first page.
    const name = `0 kettle ${Date.now()}`;
    const longer = await api('POST', '/products', { token: admin.token, body: { name: `${name} stand`, price: 100 } });
    const shorter = await api('POST', '/products', { token: admin.token, body: { name, price: 100 } });
    const listed = (await api('GET', '/products?limit=100')).json.items.map((product: { productId: string }) => product.productId);
    expect(listed.indexOf(shorter.json.productId)).toBeGreaterThanOrEqual(0);
    expect(listed.indexOf(shorter.json.productId)).toBeLessThan(listed.indexOf(longer.json.productId));
  });

  it('answers a list without maxAge from the table, even after a shopper’s maxAge list kept a page', async () => {
    // Digits sort before letters: the product is on the first page.
    const name = `0 cache probe ${Date.now()}`;
    expect((await api('GET', '/products?limit=100&maxAge=60')).status).toBe(200);
    const created = await api('POST', '/products', { token: admin.token, body: { name, price: 100 } });
    expect(created.status).toBe(201);
    const fresh = await api('GET', '/products?limit=100');
    expect(fresh.json.items.map((product: { productId: string }) => product.productId)).toContain(created.json.productId);
  });

  it('lets an admin create a product, change it and set its stock', async () => {
    const created = await api('POST', '/products', { token: admin.token, body: { name: 'Milk Frother', description: 'Handheld', price: 1999 } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Milk Frother', price: 1999, currency: 'USD', stock: 0 });
    const { productId } = created.json;

    const changed = await api('PUT', `/products/${productId}`, { token: admin.token, body: { price: 1799 } });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ name: 'Milk Frother', price: 1799, description: 'Handheld' });

    const stocked = await api('PUT', `/products/${productId}/stock`, { token: admin.token, body: { stock: 12 } });
    expect(stocked.json.stock).toBe(12);

    expect((await api('GET', `/products/${productId}`)).json).toMatchObject({ price: 1799, stock: 12 });
  });

  it('lets a price change leave existing orders alone', async () => {
    const customer = await createUser();
    const product = (await api('POST', '/products', { token: admin.token, body: { name: 'Tamper', price: 2500 } })).json;
    const order = (
      await api('POST', '/orders', {
        token: customer.token,
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        body: {
          items: [{ productId: product.productId, quantity: 2 }],
          shippingAddress: { name: 'C', line1: 'L', city: 'C', postalCode: 'P', country: 'US' },
        },
      })
    ).json;
    await api('PUT', `/products/${product.productId}`, { token: admin.token, body: { price: 9900 } });
    const reread = await api('GET', `/orders/${order.orderId}`, { token: customer.token });
    expect(reread.json.total).toBe(5000);
    expect(reread.json.lines[0].unitPrice).toBe(2500);
  });
});
