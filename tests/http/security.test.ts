import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '../support/http.ts';
import { createUser, seededUser, type TestUser } from '../support/users.ts';
import { seededUsers } from '../support/auth.ts';

const address = { name: 'Bob', line1: '2 Elm St', city: 'Shelbyville', postalCode: '54321', country: 'US' };

describe('who may do what', () => {
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  let bobsOrder: { orderId: string; status: string };
  const [product] = inject('products');

  beforeAll(async () => {
    [alice, bob, admin] = await Promise.all([
      seededUser(seededUsers.alice),
      seededUser(seededUsers.bob),
      seededUser(seededUsers.admin),
    ]);
    const placed = await api('POST', '/orders', {
      token: bob.token,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { items: [{ productId: product!.productId, quantity: 1 }], shippingAddress: address },
    });
    expect(placed.status).toBe(201);
    bobsOrder = placed.json;
  });

  describe('object-level authorization (BOLA)', () => {
    it('tells alice that bob’s order does not exist', async () => {
      const response = await api('GET', `/orders/${bobsOrder.orderId}`, { token: alice.token });
      expect(response.status).toBe(404);
      expect(JSON.stringify(response.json)).not.toContain(bob.sub);
    });

    it('answers alice the same for bob’s order and for an order that does not exist', async () => {
      const theirs = await api('GET', `/orders/${bobsOrder.orderId}`, { token: alice.token });
      const missing = await api('GET', `/orders/${randomUUID()}`, { token: alice.token });
      expect(theirs.status).toBe(missing.status);
      expect(theirs.json.title).toBe(missing.json.title);
    });

    it('does not let alice cancel bob’s order, which stays as it was', async () => {
      const response = await api('POST', `/orders/${bobsOrder.orderId}/cancel`, { token: alice.token });
      expect(response.status).toBe(404);
      const after = await api('GET', `/orders/${bobsOrder.orderId}`, { token: bob.token });
      expect(after.json.status).not.toBe('CANCELLED');
    });

    it('does not show bob’s orders in alice’s list, even with a cursor taken from bob’s list', async () => {
      const mine = await api('GET', '/orders?limit=100', { token: alice.token });
      expect(mine.json.items.some((order: { orderId: string }) => order.orderId === bobsOrder.orderId)).toBe(false);

      await api('POST', '/orders', {
        token: bob.token,
        headers: { 'Idempotency-Key': randomUUID() },
        body: { items: [{ productId: product!.productId, quantity: 1 }], shippingAddress: address },
      });
      const bobsPage = await api('GET', '/orders?limit=1', { token: bob.token });
      expect(bobsPage.json.nextCursor).toBeDefined();
      const stolen = await api('GET', `/orders?limit=1&cursor=${encodeURIComponent(bobsPage.json.nextCursor)}`, { token: alice.token });
      expect(stolen.status).toBe(400);
      expect(stolen.json.errors[0].field).toBe('cursor');
    });

    it('lets an admin read any order but not cancel it for the customer', async () => {
      expect((await api('GET', `/orders/${bobsOrder.orderId}`, { token: admin.token })).status).toBe(200);
      expect((await api('POST', `/orders/${bobsOrder.orderId}/cancel`, { token: admin.token })).status).toBe(403);
    });
  });

  describe('admin-only routes', () => {
    it.each([
      ['POST', '/products', { name: 'Nope', price: 100 }],
      ['PUT', '/products/{id}', { price: 1 }],
      ['PUT', '/products/{id}/stock', { stock: 0 }],
      ['GET', '/admin/orders?status=PENDING', undefined],
    ])('refuse a customer: %s %s → 403', async (method, path, body) => {
      const url = path.replace('{id}', product!.productId);
      const response = await api(method, url, { token: alice.token, body });
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    });

    it('leave the product untouched after a customer’s attempt to change it', async () => {
      // A product of this test's own: no other test's saga reserves its stock meanwhile.
      const created = await api('POST', '/products', { token: admin.token, body: { name: 'Security Fixture', price: 700 } });
      const productId = created.json.productId as string;
      await api('PUT', `/products/${productId}/stock`, { token: admin.token, body: { stock: 5 } });
      const before = (await api('GET', `/products/${productId}`)).json;
      await api('PUT', `/products/${productId}`, { token: alice.token, body: { price: 1 } });
      await api('PUT', `/products/${productId}/stock`, { token: alice.token, body: { stock: 0 } });
      expect((await api('GET', `/products/${productId}`)).json).toEqual(before);
    });

    it('serve an admin the orders in a status', async () => {
      const response = await api('GET', '/admin/orders?status=PENDING&limit=100', { token: admin.token });
      expect(response.status).toBe(200);
      expect(response.json.items.every((order: { status: string }) => order.status === 'PENDING')).toBe(true);
    });
  });

  describe('authentication', () => {
    it.each([
      ['no token', undefined],
      ['a malformed token', 'not-a-jwt'],
      ['a token with a forged signature', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ])('refuses %s on a protected route with 401', async (_, token) => {
      const response = await api('GET', '/orders', token === undefined ? {} : { token });
      expect(response.status).toBe(401);
    });

    it('keeps the catalog public', async () => {
      expect((await api('GET', '/products')).status).toBe(200);
    });

    it('lets a brand-new customer in with a valid token', async () => {
      const newcomer = await createUser();
      const response = await api('GET', '/orders', { token: newcomer.token });
      expect(response.status).toBe(200);
      expect(response.json.items).toEqual([]);
    });
  });
});
