import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { orderKey, productKey } from '../platform/table/keys.ts';
import { PaymentDeclinedError, PaymentUnavailableError, OutOfStockError } from './errors.ts';
import { SimulatedPaymentProvider } from './payment-provider.ts';
import { StockRepository } from './stock-repository.ts';

// Against DynamoDB Local, with the table the global setup created from template.yaml.
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);
const table = inject('tableName');
const stock = new StockRepository(client, table);
const provider = new SimulatedPaymentProvider(client, table);
const now = () => new Date().toISOString();

async function product(units: number): Promise<string> {
  const productId = randomUUID();
  await client.send(new PutCommand({ TableName: table, Item: { ...productKey(productId), type: 'Product', productId, stock: units } }));
  return productId;
}

async function counters(productId: string) {
  const { Item } = await client.send(new GetCommand({ TableName: table, Key: productKey(productId), ConsistentRead: true }));
  return { stock: Item?.stock ?? 0, reserved: Item?.reserved ?? 0, shipped: Item?.shipped ?? 0 };
}

describe('stock reservations on DynamoDB Local', () => {
  it('moves units from stock to reserved once, and back on release once', async () => {
    const productId = await product(10);
    const orderId = randomUUID();
    expect(await stock.reserve(orderId, [{ productId, quantity: 3 }], now())).toBe(true);
    expect(await stock.reserve(orderId, [{ productId, quantity: 3 }], now())).toBe(false);
    expect(await counters(productId)).toEqual({ stock: 7, reserved: 3, shipped: 0 });

    expect(await stock.release(orderId, now())).toBe(true);
    expect(await stock.release(orderId, now())).toBe(false);
    expect(await counters(productId)).toEqual({ stock: 10, reserved: 0, shipped: 0 });
  });

  it('reserves all lines or none', async () => {
    const plenty = await product(10);
    const scarce = await product(1);
    const orderId = randomUUID();
    await expect(
      stock.reserve(orderId, [{ productId: plenty, quantity: 2 }, { productId: scarce, quantity: 2 }], now()),
    ).rejects.toBeInstanceOf(OutOfStockError);
    expect(await counters(plenty)).toEqual({ stock: 10, reserved: 0, shipped: 0 });
    expect(await stock.reservationOf(orderId)).toBeUndefined();
  });

  it('never oversells when many orders race for the last units', async () => {
    const productId = await product(5);
    const attempts = await Promise.allSettled(
      Array.from({ length: 25 }, () => stock.reserve(randomUUID(), [{ productId, quantity: 1 }], now())),
    );
    const won = attempts.filter((attempt) => attempt.status === 'fulfilled').length;
    expect(won).toBe(5);
    for (const attempt of attempts) {
      if (attempt.status === 'rejected') expect(attempt.reason.name).toMatch(/OutOfStock|TransactionCanceledException/);
    }
    expect(await counters(productId)).toEqual({ stock: 0, reserved: 5, shipped: 0 });
  });

  it('ships a confirmed order: the order becomes SHIPPED and its units move to shipped', async () => {
    const productId = await product(4);
    const orderId = randomUUID();
    await client.send(
      new PutCommand({
        TableName: table,
        // Not typed `Order`: the stream publisher must not take this partial order for a real one.
        Item: { ...orderKey(orderId), type: 'StockTestOrder', orderId, status: 'CONFIRMED', shipmentTaskToken: 'token-1' },
      }),
    );
    await stock.reserve(orderId, [{ productId, quantity: 3 }], now());
    const { shipmentTaskToken } = await stock.commitShipment(orderId, { trackingNumber: 'TRACK-1', correlationId: 'c', now: now() });
    expect(shipmentTaskToken).toBe('token-1');
    expect(await counters(productId)).toEqual({ stock: 1, reserved: 0, shipped: 3 });
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: orderKey(orderId) }));
    expect(Item).toMatchObject({ status: 'SHIPPED', trackingNumber: 'TRACK-1', GSI2PK: expect.stringMatching(/^STATUS#SHIPPED#([0-9]|1[0-5])$/) });
    expect(await stock.release(orderId, now())).toBe(false);
    await expect(stock.commitShipment(orderId, { trackingNumber: 'TRACK-2', correlationId: 'c', now: now() })).rejects.toThrow(
      /no reserved stock/,
    );
  });
});

describe('the simulated payment provider', () => {
  const charge = (paymentMethod: string, idempotencyKey: string = randomUUID()) =>
    provider.charge({ idempotencyKey, amount: 1000, currency: 'USD', paymentMethod });

  it('approves a normal card, once per idempotency key', async () => {
    const key = randomUUID();
    const first = await charge('tok_visa', key);
    const second = await charge('tok_visa', key);
    expect(second).toEqual(first);
  });

  it('declines tok_decline', async () => {
    await expect(charge('tok_decline')).rejects.toBeInstanceOf(PaymentDeclinedError);
  });

  it('fails tok_transient twice, then approves', async () => {
    const key = randomUUID();
    await expect(charge('tok_transient', key)).rejects.toBeInstanceOf(PaymentUnavailableError);
    await expect(charge('tok_transient', key)).rejects.toBeInstanceOf(PaymentUnavailableError);
    expect((await charge('tok_transient', key)).chargeId).toBe(`ch_${key}`);
  });

  it('finds a charge by its idempotency key, and none where nothing was charged', async () => {
    const key = randomUUID();
    await expect(charge('tok_timeout', key)).rejects.toThrow(/timed out/);
    expect(await provider.findCharge(key)).toEqual({ chargeId: `ch_${key}` });
    await expect(charge('tok_decline', key + '-declined')).rejects.toBeInstanceOf(PaymentDeclinedError);
    expect(await provider.findCharge(key + '-declined')).toBeUndefined();
  });

  it('charges tok_timeout on the first attempt but loses the answer; the retry returns that same charge', async () => {
    const key = randomUUID();
    await expect(charge('tok_timeout', key)).rejects.toThrow(/timed out/);
    expect(await charge('tok_timeout', key)).toEqual({ chargeId: `ch_${key}` });
  });
});
