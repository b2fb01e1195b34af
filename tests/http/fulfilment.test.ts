import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentClient, tableName } from '../support/dynamodb.ts';
import { api } from '../support/http.ts';
import { queueDepths } from '../support/messaging.ts';
import { productUnits } from '../support/table.ts';
import { fulfilmentExecutions } from '../support/sagas.ts';
import { createUser, type TestUser } from '../support/users.ts';
import { againstStack } from '../support/target.ts';
import { waitFor } from '../support/wait.ts';

// The fulfilment saga end to end over HTTP: the real handlers, the stream, SNS/SQS, and the
// state machine in statemachine/fulfilment.asl.json run by the local cloud (time-scaled).

const address = { name: 'Saga Tester', line1: '9 Flow St', city: 'Springfield', postalCode: '12345', country: 'US' };
// A deployed stack runs queue and saga time as the template says, not time-scaled.
const EVENTUALLY = { timeoutMs: againstStack() ? 60_000 : 20_000 };

let customer: TestUser;
let admin: TestUser;

beforeAll(async () => {
  [customer, admin] = await Promise.all([createUser(), createUser(['admin'])]);
});

async function newProduct(stock: number, price = 1500): Promise<string> {
  const created = await api('POST', '/products', { token: admin.token, body: { name: `Saga ${randomUUID().slice(0, 8)}`, price } });
  expect(created.status).toBe(201);
  await api('PUT', `/products/${created.json.productId}/stock`, { token: admin.token, body: { stock } });
  return created.json.productId;
}

async function placeOrder(productId: string, quantity: number, paymentMethod?: string): Promise<{ orderId: string; total: number }> {
  const response = await api('POST', '/orders', {
    token: customer.token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { items: [{ productId, quantity }], shippingAddress: address, ...(paymentMethod ? { paymentMethod } : {}) },
  });
  expect(response.status).toBe(201);
  return response.json;
}

async function item(PK: string, SK: string): Promise<Record<string, any> | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: tableName(), Key: { PK, SK }, ConsistentRead: true }));
  return Item;
}

const counters = productUnits;
const payment = (orderId: string) => item(`ORDER#${orderId}`, 'PAYMENT');
const chargeAttempts = async (orderId: string) => (await item(`SIMULATED_PAYMENT#${orderId}`, 'CHARGE'))?.attempts ?? 0;

async function statusBecomes(orderId: string, status: string): Promise<Record<string, any>> {
  return waitFor(
    async () => {
      const order = (await api('GET', `/orders/${orderId}`, { token: customer.token })).json;
      return order.status === status ? order : undefined;
    },
    { ...EVENTUALLY, description: `order ${orderId} to become ${status}` },
  );
}

async function notifiedStatuses(orderId: string, count: number): Promise<string[]> {
  const items = await waitFor(
    async () => {
      const response = await api('GET', `/orders/${orderId}/notifications`, { token: customer.token });
      return response.json.items.length >= count ? response.json.items : undefined;
    },
    { ...EVENTUALLY, description: `${count} notifications for ${orderId}` },
  );
  return items.map((notification: { status: string }) => notification.status);
}

async function sagaEnded(orderId: string): Promise<string> {
  const [execution] = await waitFor(
    async () => {
      const executions = await fulfilmentExecutions(orderId);
      return executions.length > 0 && executions.every((e) => e.status !== 'RUNNING') ? executions : undefined;
    },
    { ...EVENTUALLY, description: `the saga of ${orderId} to end` },
  );
  return execution?.status ?? 'NONE';
}

const isDeadLetterQueue = (logicalId: string) => /DLQ$/.test(logicalId);

describe('the fulfilment saga', () => {
  // After every scenario the pipeline is drained: every queue empty, and nothing of the
  // scenario ended in a dead-letter queue (DLQs may hold what earlier test files left on purpose).
  let deadLettersBefore: Record<string, number>;
  beforeEach(async () => {
    const depths = await queueDepths();
    deadLettersBefore = Object.fromEntries(Object.values(depths).filter((q) => isDeadLetterQueue(q.logicalId)).map((q) => [q.logicalId, q.visible + q.inFlight]));
  });
  afterEach(async () => {
    const depths = await waitFor(
      async () => {
        const now = await queueDepths();
        const busy = Object.values(now).filter((q) => !isDeadLetterQueue(q.logicalId) && q.visible + q.inFlight + q.delayed > 0);
        return busy.length === 0 ? now : undefined;
      },
      { ...EVENTUALLY, description: 'every queue to drain' },
    );
    const deadLettersAfter = Object.fromEntries(
      Object.values(depths).filter((q) => isDeadLetterQueue(q.logicalId)).map((q) => [q.logicalId, q.visible + q.inFlight]),
    );
    expect(deadLettersAfter).toEqual(deadLettersBefore);
  });

  it('confirms a paid order, then ships it when an admin says so', async () => {
    const productId = await newProduct(5);
    const order = await placeOrder(productId, 2);

    await statusBecomes(order.orderId, 'CONFIRMED');
    expect(await counters(productId)).toEqual({ stock: 3, reserved: 2, shipped: 0 });
    expect(await payment(order.orderId)).toMatchObject({ status: 'CHARGED', amount: order.total });

    // The saga parks its task token on the order before it can be shipped.
    await waitFor(async () => (await item(`ORDER#${order.orderId}`, 'ORDER'))?.shipmentTaskToken, { ...EVENTUALLY, description: 'the task token' });
    const shipped = await api('POST', `/admin/orders/${order.orderId}/ship`, { token: admin.token, body: { trackingNumber: '1Z999AA10123456784' } });
    expect(shipped.status).toBe(200);
    expect(shipped.json).toMatchObject({ status: 'SHIPPED', trackingNumber: '1Z999AA10123456784' });

    expect(await sagaEnded(order.orderId)).toBe('SUCCEEDED');
    expect(await counters(productId)).toEqual({ stock: 3, reserved: 0, shipped: 2 });
    expect(await notifiedStatuses(order.orderId, 3)).toEqual(['PENDING', 'CONFIRMED', 'SHIPPED']);

    // Shipped orders can no longer be cancelled or shipped again.
    expect((await api('POST', `/orders/${order.orderId}/cancel`, { token: customer.token })).status).toBe(409);
    expect((await api('POST', `/admin/orders/${order.orderId}/ship`, { token: admin.token, body: { trackingNumber: 'AGAIN-1' } })).status).toBe(409);
  });

  it('rejects an order for more than the stock, leaving the stock as it was and charging nothing', async () => {
    const productId = await newProduct(2);
    const order = await placeOrder(productId, 3);

    const rejected = await statusBecomes(order.orderId, 'REJECTED');
    expect(rejected.statusReason).toMatch(/Not enough stock/);
    expect(await counters(productId)).toEqual({ stock: 2, reserved: 0, shipped: 0 });
    expect(await payment(order.orderId)).toBeUndefined();
    expect(await notifiedStatuses(order.orderId, 2)).toEqual(['PENDING', 'REJECTED']);
  });

  it('fails a declined payment and releases the stock', async () => {
    const productId = await newProduct(4);
    const order = await placeOrder(productId, 1, 'tok_decline');

    const failed = await statusBecomes(order.orderId, 'PAYMENT_FAILED');
    expect(failed.statusReason).toBe('PaymentDeclined');
    expect(await sagaEnded(order.orderId)).toBe('SUCCEEDED');
    expect(await counters(productId)).toEqual({ stock: 4, reserved: 0, shipped: 0 });
    // Nothing was charged, and the compensation voided the payment so no late charge can stand (docs/payments.md).
    const voided = await payment(order.orderId);
    expect(voided).toMatchObject({ status: 'VOIDED' });
    expect(voided?.chargeId).toBeUndefined();
    expect(await notifiedStatuses(order.orderId, 2)).toEqual(['PENDING', 'PAYMENT_FAILED']);
  });

  it('retries a transient payment failure and confirms, charging once', async () => {
    const productId = await newProduct(3);
    const order = await placeOrder(productId, 1, 'tok_transient');

    await statusBecomes(order.orderId, 'CONFIRMED');
    expect(await chargeAttempts(order.orderId)).toBe(3);
    expect(await payment(order.orderId)).toMatchObject({ status: 'CHARGED', amount: order.total });
  });

  it('charges once when the provider times out after charging', async () => {
    const productId = await newProduct(3);
    const order = await placeOrder(productId, 1, 'tok_timeout');

    await statusBecomes(order.orderId, 'CONFIRMED');
    expect(await chargeAttempts(order.orderId)).toBe(2);
    expect(await payment(order.orderId)).toMatchObject({ status: 'CHARGED', chargeId: `ch_${order.orderId}` });
  });

  it('cancels an order waiting for shipment: refunded, stock released, saga ended cleanly', async () => {
    const productId = await newProduct(6);
    const order = await placeOrder(productId, 2);
    await statusBecomes(order.orderId, 'CONFIRMED');
    await waitFor(async () => (await item(`ORDER#${order.orderId}`, 'ORDER'))?.shipmentTaskToken, { ...EVENTUALLY, description: 'the task token' });

    const cancelled = await api('POST', `/orders/${order.orderId}/cancel`, { token: customer.token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.status).toBe('CANCELLED');

    expect(await sagaEnded(order.orderId)).toBe('SUCCEEDED');
    await waitFor(async () => (await payment(order.orderId))?.status === 'REFUNDED', { ...EVENTUALLY, description: 'the refund' });
    expect(await counters(productId)).toEqual({ stock: 6, reserved: 0, shipped: 0 });
    expect(await notifiedStatuses(order.orderId, 3)).toEqual(['PENDING', 'CONFIRMED', 'CANCELLED']);
    expect((await api('POST', `/admin/orders/${order.orderId}/ship`, { token: admin.token, body: { trackingNumber: 'LATE-1' } })).status).toBe(409);
  });

  it('never oversells when many orders race for the last units', async () => {
    const productId = await newProduct(3);
    const orders = await Promise.all(Array.from({ length: 12 }, () => placeOrder(productId, 1)));

    const outcomes = await Promise.all(
      orders.map((order) =>
        waitFor(
          async () => {
            const status = (await api('GET', `/orders/${order.orderId}`, { token: customer.token })).json.status;
            return status === 'PENDING' ? undefined : status;
          },
          { timeoutMs: 40_000, description: `the outcome of ${order.orderId}` },
        ),
      ),
    );
    expect(outcomes.filter((status) => status === 'CONFIRMED')).toHaveLength(3);
    expect(outcomes.filter((status) => status === 'REJECTED')).toHaveLength(9);
    expect(await counters(productId)).toEqual({ stock: 0, reserved: 3, shipped: 0 });
  });
});
