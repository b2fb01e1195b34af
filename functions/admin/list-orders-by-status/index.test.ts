import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN, ALICE, apiEvent, call } from '#test-fixtures/api-gateway.ts';

vi.stubEnv('TABLE_NAME', 'orders-test');
const documents = mockClient(DynamoDBDocumentClient);
const { handler } = await import('./index.ts');

const list = (claims: Record<string, string>, query: Record<string, string>) =>
  call(handler, apiEvent({ method: 'GET', path: '/admin/orders', claims, query }));

describe('GET /admin/orders', () => {
  beforeEach(() => {
    documents.reset();
    documents.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: undefined });
  });

  it('queries every shard of the status index, newest first', async () => {
    const response = await list(ADMIN, { status: 'PENDING', limit: '5' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [] });
    const queries = documents.commandCalls(QueryCommand).map((query) => query.args[0].input);
    expect(queries.map((query) => query.ExpressionAttributeValues?.[':pk']).sort()).toEqual(
      Array.from({ length: 16 }, (_, shard) => `STATUS#PENDING#${shard}`).sort(),
    );
    for (const query of queries) expect(query).toMatchObject({ IndexName: 'GSI2', ScanIndexForward: false, Limit: 5 });
  });

  it('forbids customers', async () => {
    expect((await list(ALICE, { status: 'PENDING' })).status).toBe(403);
    expect(documents.calls()).toHaveLength(0);
  });

  it.each([
    [{}, 'status'],
    [{ status: 'LOST' }, 'status'],
    [{ status: 'PENDING', limit: '0' }, 'limit'],
    [{ status: 'PENDING', limit: 'many' }, 'limit'],
    [{ status: 'PENDING', cursor: 'garbage' }, 'cursor'],
  ])('refuses %j with a 400 on %s', async (query, field) => {
    const response = await list(ADMIN, query);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe(field);
  });
});
