import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN, ALICE, BOB, apiEvent, call } from '#test-fixtures/api-gateway.ts';

vi.stubEnv('TABLE_NAME', 'orders-test');
const documents = mockClient(DynamoDBDocumentClient);
const { handler } = await import('./index.ts');

const ORDER_ID = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
const header = (status: string) => ({
  PK: `ORDER#${ORDER_ID}`,
  SK: 'ORDER',
  orderId: ORDER_ID,
  customerId: ALICE.sub,
  status,
  currency: 'USD',
  total: 900,
  lineCount: 1,
  shippingAddress: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const cancel = (claims: Record<string, string>) =>
  call(
    handler,
    apiEvent({ method: 'POST', path: `/orders/${ORDER_ID}/cancel`, claims, pathParameters: { orderId: ORDER_ID } }),
  );

describe('POST /orders/{orderId}/cancel', () => {
  beforeEach(() => {
    documents.reset();
    documents.on(QueryCommand).resolves({ Items: [header('PENDING')] });
    documents.on(UpdateCommand).resolves({ Attributes: { ...header('CANCELLED'), updatedAt: '2026-01-02T00:00:00.000Z' } });
  });

  it('cancels the owner’s pending order with a conditional update', async () => {
    const response = await cancel(ALICE);
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('CANCELLED');
    const [update] = documents.commandCalls(UpdateCommand);
    expect(update?.args[0].input.ConditionExpression).toContain('#status IN (:from0, :from1)');
    expect(update?.args[0].input.ExpressionAttributeValues).toMatchObject({ ':from0': 'PENDING', ':from1': 'CONFIRMED' });
  });

  it('tells another customer the order does not exist, and changes nothing', async () => {
    const response = await cancel(BOB);
    expect(response.status).toBe(404);
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('does not let an admin cancel on a customer’s behalf', async () => {
    expect((await cancel(ADMIN)).status).toBe(403);
  });

  it('refuses with 409 once the order has shipped', async () => {
    documents.on(QueryCommand).resolves({ Items: [header('SHIPPED')] });
    const response = await cancel(ALICE);
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/SHIPPED/);
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('refuses with 409 when the status changed between the read and the write', async () => {
    documents.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, Item: { status: { S: 'SHIPPED' } } }),
    );
    const response = await cancel(ALICE);
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/is SHIPPED/);
  });

  it('refuses an order id that is not a UUID with a 400 naming it', async () => {
    const response = await call(
      handler,
      apiEvent({ method: 'POST', path: '/orders/nope/cancel', claims: ALICE, pathParameters: { orderId: 'nope' } }),
    );
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('orderId');
  });
});
