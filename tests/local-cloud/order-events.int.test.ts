import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { eventSourceBatches, latestBatchSequence } from '../support/faults.ts';
import { api } from '../support/http.ts';
import { fulfilmentExecutions } from '../support/sagas.ts';
import { notificationItems } from '../support/table.ts';
import { createUser, type TestUser } from '../support/users.ts';
import { waitFor } from '../support/wait.ts';

// Order events end to end in the local cloud, through the real handlers: the API writes the
// order, the table's stream feeds PublishOrderEventsFunction, OrderEventsTopic fans out through
// the subscriptions' filter policies, and the queue consumers record what they did.

const address = { name: 'Event Tester', line1: '1 Queue Rd', city: 'Springfield', postalCode: '12345', country: 'US' };
const EVENTUALLY = { timeoutMs: 15_000 };

describe('order events in the local cloud', () => {
  let customer: TestUser;

  beforeAll(async () => {
    customer = await createUser();
  });

  async function placeOrder(): Promise<{ orderId: string; total: number }> {
    const [productId] = inject('productIds');
    const response = await api('POST', '/orders', {
      token: customer.token,
      body: { items: [{ productId, quantity: 1 }], shippingAddress: address },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(response.status).toBe(201);
    return response.json;
  }

  it('placing an order starts its fulfilment and records an OrderPlaced notification, once each', async () => {
    const before = await latestBatchSequence();
    const order = await placeOrder();

    // The fulfilment queue received OrderPlaced: its consumer started the order's saga.
    const executions = await waitFor(async () => {
      const found = await fulfilmentExecutions(order.orderId);
      return found.length > 0 ? found : undefined;
    }, { ...EVENTUALLY, description: 'the fulfilment execution' });
    expect(executions).toHaveLength(1);
    expect(JSON.parse(executions[0]?.input ?? '{}')).toMatchObject({ orderId: order.orderId, customerId: customer.sub });

    const placed = await waitFor(async () => {
      const items = (await notificationItems(order.orderId)).filter((item) => item.eventType === 'OrderPlaced');
      return items.length > 0 ? items : undefined;
    }, { ...EVENTUALLY, description: 'the OrderPlaced notification' });
    expect(placed).toHaveLength(1);
    const [notification] = placed;
    expect(notification).toMatchObject({
      PK: `ORDER#${order.orderId}`,
      SK: expect.stringMatching(/^NOTIFICATION#/),
      eventType: 'OrderPlaced',
      status: 'PENDING',
      customerId: customer.sub,
    });

    // Each hop ran its function: the stream publisher, then both consumers, none of them failing.
    const batches = await eventSourceBatches({ after: before });
    expect([...new Set(batches.map((batch) => batch.functionLogicalId))]).toEqual(
      expect.arrayContaining(['PublishOrderEventsFunction', 'StartFulfilmentFunction', 'NotifyCustomerFunction']),
    );
    expect(batches.filter((batch) => batch.outcome !== 'success')).toEqual([]);
  });

  it('cancelling an order notifies the customer of OrderCancelled, and the owner can list both notifications', async () => {
    const order = await placeOrder();
    const ofType = (items: Record<string, unknown>[], eventType: string) => items.filter((item) => item.eventType === eventType);
    await waitFor(async () => ofType(await notificationItems(order.orderId), 'OrderPlaced').length === 1, {
      ...EVENTUALLY,
      description: 'the OrderPlaced notification',
    });

    const cancelled = await api('POST', `/orders/${order.orderId}/cancel`, { token: customer.token });
    expect(cancelled.status).toBe(200);
    const items = await waitFor(async () => {
      const found = await notificationItems(order.orderId);
      return ofType(found, 'OrderCancelled').length > 0 ? found : undefined;
    }, { ...EVENTUALLY, description: 'the OrderCancelled notification' });
    expect(ofType(items, 'OrderPlaced')).toHaveLength(1);
    expect(ofType(items, 'OrderCancelled')).toEqual([expect.objectContaining({ status: 'CANCELLED', customerId: customer.sub })]);

    // Oldest first: what the customer was told, in order.
    const listed = await api('GET', `/orders/${order.orderId}/notifications`, { token: customer.token });
    expect(listed.status).toBe(200);
    const types: string[] = listed.json.items.map((item: { eventType: string }) => item.eventType);
    expect(types.filter((type) => type !== 'OrderStatusChanged')).toEqual(['OrderPlaced', 'OrderCancelled']);
    expect(listed.json.items.at(-1)).toMatchObject({ orderId: order.orderId, eventType: 'OrderCancelled', status: 'CANCELLED', message: expect.any(String) });

    // Another customer cannot read them.
    const stranger = await createUser();
    const refused = await api('GET', `/orders/${order.orderId}/notifications`, { token: stranger.token });
    expect([403, 404]).toContain(refused.status);
  });
});
