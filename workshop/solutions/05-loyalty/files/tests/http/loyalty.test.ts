import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { LoyaltyRepository } from '../../layers/shared/src/loyalty/loyalty-repository.ts';
import { documentClient, tableName } from '../support/dynamodb.ts';
import { api } from '../support/http.ts';
import { againstStack } from '../support/target.ts';
import { createUser, type TestUser } from '../support/users.ts';
import { waitFor } from '../support/wait.ts';

// Loyalty points end to end: a confirmed order's OrderStatusChanged event reaches LoyaltyQueue
// through the topic's filter policy, AwardPointsFunction awards its points once, and the
// customer reads them with GET /loyalty.

const address = { name: 'Loyal Customer', line1: '3 Points Rd', city: 'Springfield', postalCode: '12345', country: 'US' };
const EVENTUALLY = { timeoutMs: againstStack() ? 60_000 : 30_000 };

let customer: TestUser;
let admin: TestUser;

beforeAll(async () => {
  [customer, admin] = await Promise.all([createUser(), createUser(['admin'])]);
});

async function newProduct(price: number): Promise<string> {
  const created = await api('POST', '/products', { token: admin.token, body: { name: `Loyalty ${randomUUID().slice(0, 8)}`, price } });
  expect(created.status).toBe(201);
  await api('PUT', `/products/${created.json.productId}/stock`, { token: admin.token, body: { stock: 10 } });
  return created.json.productId;
}

async function placeOrder(user: TestUser, productId: string, quantity: number, paymentMethod?: string): Promise<string> {
  const response = await api('POST', '/orders', {
    token: user.token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { items: [{ productId, quantity }], shippingAddress: address, ...(paymentMethod ? { paymentMethod } : {}) },
  });
  expect(response.status).toBe(201);
  return response.json.orderId;
}

const loyaltyOf = async (user: TestUser) => {
  const response = await api('GET', '/loyalty', { token: user.token });
  expect(response.status).toBe(200);
  return response.json as { balance: number; awards: Array<{ orderId: string; points: number; awardedAt: string }> };
};

describe('GET /loyalty', () => {
  it('answers a customer without points with a balance of 0', async () => {
    expect(await loyaltyOf(await createUser())).toEqual({ balance: 0, awards: [] });
  });

  it('needs a signed-in caller', async () => {
    expect((await api('GET', '/loyalty')).status).toBe(401);
  });
});

describe('loyalty points for confirmed orders', () => {
  it('awards one point per whole dollar of a confirmed order, shown to its customer only', async () => {
    const productId = await newProduct(1250);
    const orderId = await placeOrder(customer, productId, 2); // $25.00
    const account = await waitFor(async () => {
      const current = await loyaltyOf(customer);
      return current.awards.some((award) => award.orderId === orderId) ? current : undefined;
    }, { ...EVENTUALLY, description: `the points of order ${orderId}` });
    expect(account.balance).toBe(25);
    expect(account.awards).toEqual([{ orderId, points: 25, awardedAt: expect.any(String) }]);
    // Another customer sees their own account, not this one.
    expect((await loyaltyOf(admin)).balance).toBe(0);
  });

  it('awards nothing for a declined payment', async () => {
    const buyer = await createUser();
    const productId = await newProduct(900);
    const orderId = await placeOrder(buyer, productId, 1, 'tok_decline');
    await waitFor(async () => ((await api('GET', `/orders/${orderId}`, { token: buyer.token })).json.status === 'PAYMENT_FAILED' ? true : undefined), {
      ...EVENTUALLY,
      description: `order ${orderId} to fail payment`,
    });
    expect(await loyaltyOf(buyer)).toEqual({ balance: 0, awards: [] });
  });
});

describe('LoyaltyRepository.award on the table', () => {
  it('adds an order’s award to the balance once, however often it is delivered', async () => {
    const repository = new LoyaltyRepository(documentClient(), tableName());
    const customerId = `loyalty-${randomUUID()}`;
    const award = { customerId, orderId: randomUUID(), points: 7, eventId: 'e-1', awardedAt: new Date().toISOString() };
    expect(await repository.award(award)).toBe(true);
    expect(await repository.award({ ...award, eventId: 'e-2' })).toBe(false);
    expect(await repository.award({ ...award, orderId: randomUUID(), points: 3 })).toBe(true);
    const account = await repository.accountOf(customerId);
    expect(account.balance).toBe(10);
    expect(account.awards.map((entry) => entry.points).sort()).toEqual([3, 7]);
  });
});
