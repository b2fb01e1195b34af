import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { ProductRepository } from '../catalog/product-repository.ts';
import { orderKey, reservationKey, stockCounterKey, stockCounterKeys } from '../platform/table/keys.ts';
import { PaymentDeclinedError, PaymentUnavailableError, OutOfStockError } from './errors.ts';
import { SimulatedPaymentProvider } from './payment-provider.ts';
import { StockRepository } from './stock-repository.ts';

// Against DynamoDB Local, with the table the global setup created from template.yaml.
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);
const table = inject('tableName');
const stock = new StockRepository(client, table);
const products = new ProductRepository(client, table);
const provider = new SimulatedPaymentProvider(client, table);
const now = () => new Date().toISOString();

/** A product with `units` in stock, spread over its counters as the admin's PUT .../stock spreads them. */
async function product(units: number): Promise<string> {
  const { productId } = await products.create({ name: 'Stock test product', description: '', price: 100, currency: 'USD' }, now());
  await products.setStock(productId, units, now());
  return productId;
}

/** Each counter's three attributes (index = counter), strongly consistent; a counter never written holds 0 of each. */
async function perCounter(productId: string) {
  const { Responses } = await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: stockCounterKeys(productId), ConsistentRead: true } } }));
  return stockCounterKeys(productId).map((key) => {
    const item = Responses?.[table]?.find((found) => found.PK === key.PK);
    return { stock: item?.stock ?? 0, reserved: item?.reserved ?? 0, shipped: item?.shipped ?? 0 };
  });
}

/** The product's units in all its counters. */
async function counters(productId: string) {
  const sum = { stock: 0, reserved: 0, shipped: 0 };
  for (const counter of await perCounter(productId)) {
    sum.stock += counter.stock;
    sum.reserved += counter.reserved;
    sum.shipped += counter.shipped;
  }
  return sum;
}

/** Sets one counter's available units, as if other orders had taken the rest. */
async function setCounter(productId: string, counter: number, units: number) {
  await client.send(new UpdateCommand({ TableName: table, Key: stockCounterKey(productId, counter), UpdateExpression: 'SET stock = :units', ExpressionAttributeValues: { ':units': units } }));
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

  it('never oversells when orders of several units race for units spread thinly over the counters', async () => {
    const productId = await product(7); // 2, 2, 2, 1
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, () => stock.reserve(randomUUID(), [{ productId, quantity: 2 }], now())),
    );
    const won = attempts.filter((attempt) => attempt.status === 'fulfilled').length;
    for (const attempt of attempts) {
      if (attempt.status === 'rejected') expect(attempt.reason.name).toMatch(/OutOfStock|TransactionCanceledException/);
    }
    // Three orders of 2 fit; a fourth would need a split of the last unit and another order's: at most 3.
    expect(won).toBeLessThanOrEqual(3);
    const after = await counters(productId);
    expect(after).toEqual({ stock: 7 - 2 * won, reserved: 2 * won, shipped: 0 });
    expect((await perCounter(productId)).every((counter) => counter.stock >= 0)).toBe(true);
  });

  it('splits a line over counters when no single one holds it, and releases each unit to the counter it came from', async () => {
    const productId = await product(8);
    for (const [counter, units] of [[0, 1], [1, 0], [2, 3], [3, 2]] as const) await setCounter(productId, counter, units);
    const orderId = randomUUID();
    expect(await stock.reserve(orderId, [{ productId, quantity: 5 }], now())).toBe(true);
    expect(await counters(productId)).toEqual({ stock: 1, reserved: 5, shipped: 0 });
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: reservationKey(orderId), ConsistentRead: true }));
    const takes = (Item?.takes as Array<{ counter: number; quantity: number }>).map(({ counter, quantity }) => [counter, quantity]).sort();
    // 5 units out of 1 + 0 + 3 + 2: every counter but one unit, wherever the plan started.
    expect(takes.reduce((sum, [, quantity]) => sum + quantity!, 0)).toBe(5);
    const reservedBefore = (await perCounter(productId)).map((counter) => counter.reserved);
    expect(takes.map(([counter, quantity]) => reservedBefore[counter!] === quantity)).not.toContain(false);

    expect(await stock.release(orderId, now())).toBe(true);
    expect((await perCounter(productId)).map((counter) => [counter.stock, counter.reserved])).toEqual([[1, 0], [0, 0], [3, 0], [2, 0]]);
  });

  it('takes a line from another counter when the one drawn is empty, and a never-stocked product is out of stock', async () => {
    const productId = await product(4);
    for (const counter of [0, 1, 2]) await setCounter(productId, counter, 0);
    await setCounter(productId, 3, 4);
    // Whichever counter the first attempt draws, the units come from counter 3.
    for (let order = 0; order < 4; order += 1) expect(await stock.reserve(randomUUID(), [{ productId, quantity: 1 }], now())).toBe(true);
    expect(await perCounter(productId)).toEqual([
      { stock: 0, reserved: 0, shipped: 0 },
      { stock: 0, reserved: 0, shipped: 0 },
      { stock: 0, reserved: 0, shipped: 0 },
      { stock: 0, reserved: 4, shipped: 0 },
    ]);
    await expect(stock.reserve(randomUUID(), [{ productId, quantity: 1 }], now())).rejects.toThrow(new OutOfStockError(`Not enough stock for ${productId}`));

    const { productId: neverStocked } = await products.create({ name: 'Never stocked', description: '', price: 1, currency: 'USD' }, now());
    const orderId = randomUUID();
    await expect(stock.reserve(orderId, [{ productId: neverStocked, quantity: 1 }], now())).rejects.toBeInstanceOf(OutOfStockError);
    expect(await stock.reservationOf(orderId)).toBeUndefined();
    expect((await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: stockCounterKeys(neverStocked) } } }))).Responses?.[table]).toEqual([]);
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
    // Shipped from the counters the units were reserved in.
    const { Item: reservation } = await client.send(new GetCommand({ TableName: table, Key: reservationKey(orderId), ConsistentRead: true }));
    const shipped = (await perCounter(productId)).map((counter) => counter.shipped);
    for (const take of reservation?.takes as Array<{ counter: number; quantity: number }>) expect(shipped[take.counter]).toBe(take.quantity);
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
