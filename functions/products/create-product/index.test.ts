import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN, ALICE, apiEvent, call } from '#test-fixtures/api-gateway.ts';

vi.stubEnv('TABLE_NAME', 'orders-test');
const documents = mockClient(DynamoDBDocumentClient);
const { handler } = await import('./index.ts');

const create = (claims: Record<string, string>, body: unknown) =>
  call(handler, apiEvent({ method: 'POST', path: '/products', claims, body }));

describe('POST /products', () => {
  beforeEach(() => {
    documents.reset();
    documents.on(PutCommand).resolves({});
  });

  it('lets an admin add a product, with no stock until it is set', async () => {
    const response = await create(ADMIN, { name: 'Espresso cup', price: 1200 });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'Espresso cup', price: 1200, currency: 'USD', stock: 0, description: '' });
    const [put] = documents.commandCalls(PutCommand);
    expect(put?.args[0].input.Item).toMatchObject({ type: 'Product', GSI1PK: expect.stringMatching(/^CATALOG#([0-9]|1[0-5])$/) });
    expect(put?.args[0].input.ConditionExpression).toBe('attribute_not_exists(PK)');
  });

  it('forbids customers, before even reading the body', async () => {
    const response = await create(ALICE, { name: 'x' });
    expect(response.status).toBe(403);
    expect(documents.calls()).toHaveLength(0);
  });

  it.each([
    [{ name: 'Cup', price: 12.5 }, 'price'],
    [{ name: 'Cup', price: -1 }, 'price'],
    [{ name: '   ', price: 100 }, 'name'],
    [{ name: 'Cup', price: 100, currency: 'dollars' }, 'currency'],
    [{ name: 'Cup', price: 100, stock: 5 }, 'stock'],
  ])('refuses %j with a 400 on %s', async (body, field) => {
    const response = await create(ADMIN, body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((problem: { field: string }) => problem.field)).toEqual([field]);
    expect(documents.calls()).toHaveLength(0);
  });
});
