import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { invokeThroughControlEndpoint } from '#local/cli/invoke-event.ts';
import { documentClient, tableName } from '../support/dynamodb.ts';
import { api } from '../support/http.ts';
import { createUser, type TestUser } from '../support/users.ts';
import { waitFor } from '../support/wait.ts';

// The compensation's rarer paths through the deployed function, with the template's IAM
// enforced: a charge only the provider knows of (its answer was lost, or it landed after the
// saga voided the payment) is refunded and recorded. The saga itself reaches these paths only
// under faults (docs/payments.md); here the provider's ledger item is written by hand.

const address = { name: 'Refund Tester', line1: '1 Ledger Rd', city: 'Springfield', postalCode: '12345', country: 'US' };

describe('RefundPaymentFunction in the local cloud', () => {
  let customer: TestUser;

  beforeAll(async () => {
    customer = await createUser();
  });

  async function declinedOrder(): Promise<{ orderId: string; total: number }> {
    const [productId] = inject('productIds');
    const response = await api('POST', '/orders', {
      token: customer.token,
      body: { items: [{ productId, quantity: 1 }], shippingAddress: address, paymentMethod: 'tok_decline' },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(response.status).toBe(201);
    const order = response.json as { orderId: string; total: number };
    await waitFor(async () => ((await api('GET', `/orders/${order.orderId}`, { token: customer.token })).json as { status: string }).status === 'PAYMENT_FAILED' || undefined, {
      timeoutMs: 30_000,
      description: 'the declined order to fail',
    });
    return order;
  }

  const item = async (key: Record<string, string>) => (await documentClient().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;

  it('voids the payment of a declined order, then refunds and records a charge that landed after the void', async () => {
    const { orderId, total } = await declinedOrder();
    expect(await item({ PK: `ORDER#${orderId}`, SK: 'PAYMENT' })).toMatchObject({ status: 'VOIDED' });
    // A late payment attempt's charge at the provider, never recorded on the order.
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { PK: `SIMULATED_PAYMENT#${orderId}`, SK: 'CHARGE', type: 'SimulatedCharge', attempts: 1, amount: total, currency: 'USD', chargeId: `ch_${orderId}`, chargedAt: new Date().toISOString() },
      }),
    );

    const report = await invokeThroughControlEndpoint(inject('controlUrl'), 'RefundPaymentFunction', { orderId, correlationId: 'refund-test' });

    expect(report.payload).toEqual({ refunded: true });
    expect(await item({ PK: `SIMULATED_PAYMENT#${orderId}`, SK: 'CHARGE' })).toMatchObject({ refunded: true });
    expect(await item({ PK: `ORDER#${orderId}`, SK: 'PAYMENT' })).toMatchObject({ status: 'REFUNDED', chargeId: `ch_${orderId}`, amount: total });
  });
});
