import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { orderKey, paymentKey } from '../platform/table/keys.ts';
import { SimulatedPaymentProvider } from './payment-provider.ts';

// A TakePayment attempt can outlive its place in the saga: Middy's early TimeoutError (or the
// task's own timeout) ends the invocation's answer, not its work, so the state machine can run
// the compensation while that attempt is still charging. Whichever of the two writes the order's
// payment record second must see the other and leave no charge behind. Each test holds the
// attempt's charge at a gate, runs the compensation, then lets the charge through.
// Against DynamoDB Local, with the registry's real repositories and provider.

const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);
const table = inject('tableName');
let tasks: typeof import('./tasks.ts');

beforeAll(async () => {
  // The registry reads its table and endpoint from the environment, as in a Lambda container.
  Object.assign(process.env, {
    TABLE_NAME: table,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  tasks = await import('./tasks.ts');
});

afterEach(() => vi.restoreAllMocks());

/** An order header the saga can read; not typed `Order`, so the stream publisher leaves it alone. */
async function order(): Promise<string> {
  const orderId = randomUUID();
  await client.send(
    new PutCommand({
      TableName: table,
      Item: { ...orderKey(orderId), type: 'PaymentRaceTestOrder', orderId, customerId: 'alice', status: 'PENDING', total: 2500, currency: 'USD', paymentMethod: 'tok_visa', lineCount: 1, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() },
    }),
  );
  return orderId;
}

/** Holds the provider's charge until `release()`; `reached` resolves once an attempt is held there. */
function gateCharges() {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const atGate = new Promise<void>((resolve) => (reached = resolve));
  const charge = SimulatedPaymentProvider.prototype.charge;
  vi.spyOn(SimulatedPaymentProvider.prototype, 'charge').mockImplementation(async function (this: SimulatedPaymentProvider, request) {
    reached();
    await opened;
    return charge.call(this, request);
  });
  return { release, reached: atGate };
}

async function paymentRecord(orderId: string) {
  return (await client.send(new GetCommand({ TableName: table, Key: paymentKey(orderId), ConsistentRead: true }))).Item;
}

async function ledger(orderId: string) {
  return (await client.send(new GetCommand({ TableName: table, Key: { PK: `SIMULATED_PAYMENT#${orderId}`, SK: 'CHARGE' }, ConsistentRead: true }))).Item;
}

describe('a payment attempt that is still charging when the compensation runs', () => {
  it('refunds its own charge when the compensation found nothing to refund, and records it REFUNDED', async () => {
    const orderId = await order();
    const gate = gateCharges();
    const lateAttempt = tasks.takePayment({ orderId });
    await gate.reached;

    expect(await tasks.refundPayment({ orderId })).toEqual({ refunded: false });
    expect(await paymentRecord(orderId)).toMatchObject({ status: 'VOIDED' });

    gate.release();
    await expect(lateAttempt).rejects.toMatchObject({ name: 'PaymentVoided' });
    expect(await ledger(orderId)).toMatchObject({ chargeId: `ch_${orderId}`, refunded: true });
    expect(await paymentRecord(orderId)).toMatchObject({ status: 'REFUNDED', chargeId: `ch_${orderId}`, amount: 2500, currency: 'USD' });
  });

  it('charges nothing when it starts after the compensation ran', async () => {
    const orderId = await order();
    await tasks.refundPayment({ orderId });
    await expect(tasks.takePayment({ orderId })).rejects.toMatchObject({ name: 'PaymentVoided' });
    expect(await ledger(orderId)).toBeUndefined();
  });

  it('leaves the refund to the compensation when the compensation found the charge first', async () => {
    const orderId = await order();
    const provider = new SimulatedPaymentProvider(client, table);
    // The attempt's charge reached the provider, its record not yet: the compensation finds the
    // charge at the provider, refunds it and records the refund; the attempt then only learns it.
    const { PaymentRepository } = await import('./payment-repository.ts');
    const recordCharge = PaymentRepository.prototype.recordCharge;
    let releaseRecord!: () => void;
    const recordGate = new Promise<void>((resolve) => (releaseRecord = resolve));
    let recordReached!: () => void;
    const atRecord = new Promise<void>((resolve) => (recordReached = resolve));
    vi.spyOn(PaymentRepository.prototype, 'recordCharge').mockImplementation(async function (this: InstanceType<typeof PaymentRepository>, ...args) {
      recordReached();
      await recordGate;
      return recordCharge.apply(this, args);
    });
    const lateAttempt = tasks.takePayment({ orderId });
    await atRecord;
    expect(await provider.findCharge(orderId)).toEqual({ chargeId: `ch_${orderId}` });

    expect(await tasks.refundPayment({ orderId })).toEqual({ refunded: true });
    releaseRecord();
    await expect(lateAttempt).rejects.toMatchObject({ name: 'PaymentVoided' });
    expect(await ledger(orderId)).toMatchObject({ refunded: true });
    expect(await paymentRecord(orderId)).toMatchObject({ status: 'REFUNDED', chargeId: `ch_${orderId}` });
  });

  it('refunds a charge that was recorded between its look and its void', async () => {
    const orderId = await order();
    // The compensation looks (nothing), the attempt charges and records, then the compensation
    // tries to void: the void fails on the record, and the compensation refunds that charge.
    const findCharge = SimulatedPaymentProvider.prototype.findCharge;
    vi.spyOn(SimulatedPaymentProvider.prototype, 'findCharge').mockImplementationOnce(async function (this: SimulatedPaymentProvider, key) {
      const found = await findCharge.call(this, key);
      await tasks.takePayment({ orderId });
      return found;
    });
    expect(await tasks.refundPayment({ orderId })).toEqual({ refunded: true });
    expect(await ledger(orderId)).toMatchObject({ refunded: true });
    expect(await paymentRecord(orderId)).toMatchObject({ status: 'REFUNDED' });
  });
});
