import { DynamoDBClient, PutItemCommand, TransactionCanceledException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ALICE, apiEvent, call } from '#test-fixtures/api-gateway.ts';

vi.stubEnv('TABLE_NAME', 'orders-test');
const dynamoDb = mockClient(DynamoDBClient);
const documents = mockClient(DynamoDBDocumentClient);
const { handler } = await import('./index.ts');
const { logger } = await import('@orders/shared');

const COFFEE = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const MUG = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const address = { name: 'Alice', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const catalogItem = (productId: string, name: string, price: number) => ({
  PK: `PRODUCT#${productId}`,
  SK: 'PRODUCT',
  productId,
  name,
  description: '',
  price,
  currency: 'USD',
  stock: 5,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const placeOrder = (body: unknown, headers: Record<string, string> = { 'Idempotency-Key': 'key-1' }) =>
  call(handler, apiEvent({ method: 'POST', path: '/orders', claims: ALICE, body, headers }));

describe('POST /orders', () => {
  beforeEach(() => {
    dynamoDb.reset();
    documents.reset();
    dynamoDb.on(PutItemCommand).resolves({});
    dynamoDb.on(UpdateItemCommand).resolves({});
    documents.on(BatchGetCommand).resolves({
      Responses: { 'orders-test': [catalogItem(COFFEE, 'Coffee beans', 1450), catalogItem(MUG, 'Mug', 900)] },
    });
    documents.on(TransactWriteCommand).resolves({});
  });

  it('places a PENDING order priced from the catalog', async () => {
    const response = await placeOrder({
      items: [
        { productId: COFFEE, quantity: 2 },
        { productId: MUG, quantity: 1 },
      ],
      shippingAddress: address,
    });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'PENDING', customerId: ALICE.sub, total: 3800, currency: 'USD' });
    expect(response.headers.location).toBe(`/orders/${response.body.orderId}`);
    const [write] = documents.commandCalls(TransactWriteCommand);
    const items = write?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(3);
    expect(items[0]?.Put?.Item).toMatchObject({ type: 'Order', status: 'PENDING', total: 3800, correlationId: 'req-1' });
  });

  it('writes the order’s first line in its trail (npm run trail)', async () => {
    const info = vi.spyOn(logger, 'info');
    const response = await placeOrder({ items: [{ productId: COFFEE, quantity: 2 }], shippingAddress: address });
    expect(info).toHaveBeenCalledWith('Order placed', { orderId: response.body.orderId, total: 2900, currency: 'USD', lines: 1 });
    info.mockRestore();
  });

  it('writes the order and nothing else: no idempotency record before it or after it (the order is its own)', async () => {
    await placeOrder({ items: [{ productId: COFFEE, quantity: 1 }], shippingAddress: address });
    expect(documents.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(dynamoDb.commandCalls(PutItemCommand)).toHaveLength(0);
    expect(dynamoDb.commandCalls(UpdateItemCommand)).toHaveLength(0);
    const [header] = documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(header?.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
  });

  it.each([
    ['a missing Idempotency-Key', {}, { items: [{ productId: COFFEE, quantity: 1 }], shippingAddress: address }, 'header:Idempotency-Key'],
    ['a client-supplied price', undefined, { items: [{ productId: COFFEE, quantity: 1, price: 1 }], shippingAddress: address }, 'items[0].price'],
    ['a client-supplied status', undefined, { items: [{ productId: COFFEE, quantity: 1 }], shippingAddress: address, status: 'SHIPPED' }, 'status'],
    ['a zero quantity', undefined, { items: [{ productId: COFFEE, quantity: 0 }], shippingAddress: address }, 'items[0].quantity'],
    ['an absurd quantity', undefined, { items: [{ productId: COFFEE, quantity: 1e9 }], shippingAddress: address }, 'items[0].quantity'],
    ['a fractional quantity', undefined, { items: [{ productId: COFFEE, quantity: 1.5 }], shippingAddress: address }, 'items[0].quantity'],
    ['a quantity given as a string', undefined, { items: [{ productId: COFFEE, quantity: '2' }], shippingAddress: address }, 'items[0].quantity'],
    ['no items', undefined, { items: [], shippingAddress: address }, 'items'],
    ['too many lines', undefined, { items: Array.from({ length: 26 }, () => ({ productId: COFFEE, quantity: 1 })), shippingAddress: address }, 'items'],
    ['a product id that is not a UUID', undefined, { items: [{ productId: 'coffee', quantity: 1 }], shippingAddress: address }, 'items[0].productId'],
    ['a missing address', undefined, { items: [{ productId: COFFEE, quantity: 1 }] }, 'shippingAddress'],
  ])('refuses %s with a 400 naming the field, writing nothing', async (_, headers, body, field) => {
    const response = await placeOrder(body, headers);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.errors.map((problem: { field: string }) => problem.field)).toContain(field);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(dynamoDb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('refuses malformed JSON with a 400 on the body', async () => {
    const response = await call(
      handler,
      apiEvent({ method: 'POST', path: '/orders', claims: ALICE, rawBody: '{"items": [', headers: { 'Idempotency-Key': 'k' } }),
    );
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'body', message: 'is not valid JSON' }]);
  });

  it('refuses an oversized body with a 413', async () => {
    const response = await call(
      handler,
      apiEvent({ method: 'POST', path: '/orders', claims: ALICE, rawBody: `{"pad":"${'x'.repeat(20_000)}"}`, headers: { 'Idempotency-Key': 'k' } }),
    );
    expect(response.status).toBe(413);
  });

  it('refuses an unknown product with a 400, writing nothing, so the client can correct it under the same key', async () => {
    const unknown = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

    const response = await placeOrder({ items: [{ productId: unknown, quantity: 1 }], shippingAddress: address });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'items[0].productId', message: 'no such product in the catalog' }]);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(dynamoDb.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('reads the catalog for exactly the products requested, and none of their stock counters (pricing does not need stock)', async () => {
    await placeOrder({ items: [{ productId: COFFEE, quantity: 1 }, { productId: MUG, quantity: 2 }], shippingAddress: address });
    const [read] = documents.commandCalls(BatchGetCommand);
    const keys = read?.args[0].input.RequestItems?.['orders-test']?.Keys;
    expect(keys).toEqual([
      { PK: `PRODUCT#${COFFEE}`, SK: 'PRODUCT' },
      { PK: `PRODUCT#${MUG}`, SK: 'PRODUCT' },
    ]);
  });

  it('answers an unexpected failure with a bare 500 that leaks nothing', async () => {
    documents.on(TransactWriteCommand).rejects(new Error('socket hang up at 10.0.0.1:443'));
    const response = await placeOrder({ items: [{ productId: COFFEE, quantity: 1 }], shippingAddress: address });
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toMatch(/socket|10\.0\.0\.1|at /);
    expect(response.headers['x-correlation-id']).toBe('req-1');
  });
});

// A retry under the same key meets the order the first attempt wrote, whether that attempt
// answered, lost its answer on the way back, or timed out after writing: the order id comes from
// (customer, key), so the retry's write is refused by its condition and the placed order is read
// back instead of a second one written (docs/decisions.md D39).
describe('POST /orders retried under the same Idempotency-Key', () => {
  const body = { items: [{ productId: COFFEE, quantity: 2 }], shippingAddress: address };

  async function firstAttemptWrote() {
    dynamoDb.reset();
    documents.reset();
    documents.on(BatchGetCommand).resolves({ Responses: { 'orders-test': [catalogItem(COFFEE, 'Coffee beans', 1450)] } });
    documents.on(TransactWriteCommand).resolves({});
    const first = await placeOrder(body, { 'Idempotency-Key': 'key-lost' });
    const stored = (documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? []).flatMap((item) => (item.Put?.Item ? [item.Put.Item] : []));
    const storedKey = stored[0]?.PK as string;
    // The retry: a write of the order already there fails its condition, as DynamoDB would; any
    // other order would be written.
    documents.on(TransactWriteCommand).callsFake((input: { TransactItems: Array<{ Put?: { Item?: Record<string, unknown> } }> }) => {
      if (input.TransactItems[0]?.Put?.Item?.PK !== storedKey) return {};
      throw new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] });
    });
    documents.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => ({
      Items: input.ExpressionAttributeValues[':pk'] === storedKey ? stored : [],
    }));
    return { first, stored };
  }

  it('gets the same order back and writes no second one', async () => {
    const { first } = await firstAttemptWrote();
    expect(first.status).toBe(201);
    const retry = await placeOrder(body, { 'Idempotency-Key': 'key-lost' });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(2); // the first write, and the refused one
    // Read back consistently: an attempt that finished a moment ago must be seen.
    expect(documents.commandCalls(QueryCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
  });

  it('answers the retry as the first attempt was answered, though the saga has moved the order on', async () => {
    const { first, stored } = await firstAttemptWrote();
    Object.assign(stored[0]!, { status: 'SHIPPED', trackingNumber: 'TRACK-1', updatedAt: '2099-01-01T00:00:00.000Z' });
    const retry = await placeOrder(body, { 'Idempotency-Key': 'key-lost' });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.body.status).toBe('PENDING');
  });

  it('knows the same address whatever order DynamoDB gives its fields back in', async () => {
    const { first, stored } = await firstAttemptWrote();
    const address = stored[0]!.shippingAddress as Record<string, string>;
    stored[0]!.shippingAddress = Object.fromEntries(Object.entries(address).reverse());
    const retry = await placeOrder(body, { 'Idempotency-Key': 'key-lost' });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });

  it('tells a retry racing the first attempt’s write to retry shortly (409), writing nothing', async () => {
    await firstAttemptWrote();
    documents.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }] }),
    );
    const response = await placeOrder(body, { 'Idempotency-Key': 'key-racing' });
    expect(response.status).toBe(409);
    expect(response.body.detail).toBe('A request with this Idempotency-Key is still being processed; retry shortly');
  });

  it('refuses the key with a different order under it (422), as the idempotency record would', async () => {
    await firstAttemptWrote();
    const other = await placeOrder({ ...body, items: [{ productId: COFFEE, quantity: 3 }] }, { 'Idempotency-Key': 'key-lost' });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ detail: 'This Idempotency-Key was already used with a different request body' });
  });

  it('refuses the key (422), not a 500, when the order under it cannot be read back', async () => {
    await firstAttemptWrote();
    documents.on(QueryCommand).resolves({ Items: [] });
    const retry = await placeOrder(body, { 'Idempotency-Key': 'key-lost' });
    expect(retry.status).toBe(422);
  });

  it('names the order by customer and key: the same pair, the same id; another key, another id', async () => {
    const { orderIdFor } = await import('@orders/shared');
    expect(orderIdFor('alice', 'k')).toBe(orderIdFor('alice', 'k'));
    expect(orderIdFor('alice', 'k')).not.toBe(orderIdFor('alice', 'k2'));
    expect(orderIdFor('alice', 'k')).not.toBe(orderIdFor('bob', 'k'));
    expect(orderIdFor('alice', 'k')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
