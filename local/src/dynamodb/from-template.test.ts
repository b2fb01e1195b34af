import { describe, expect, it } from 'vitest';
import { createTableInput } from './from-template.ts';

const keys = (hash: string, range?: string) => [
  { AttributeName: hash, KeyType: 'HASH' },
  ...(range === undefined ? [] : [{ AttributeName: range, KeyType: 'RANGE' }]),
];

describe('createTableInput', () => {
  it('maps an on-demand single table with GSIs and a stream, leaving out what DynamoDB Local ignores', () => {
    const input = createTableInput('orders', {
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
        { AttributeName: 'GSI1SK', AttributeType: 'S' },
      ],
      KeySchema: keys('PK', 'SK'),
      GlobalSecondaryIndexes: [{ IndexName: 'GSI1', KeySchema: keys('GSI1PK', 'GSI1SK'), Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: false,
    });
    expect(input).toEqual({
      TableName: 'orders',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
        { AttributeName: 'GSI1SK', AttributeType: 'S' },
      ],
      KeySchema: keys('PK', 'SK'),
      GlobalSecondaryIndexes: [{ IndexName: 'GSI1', KeySchema: keys('GSI1PK', 'GSI1SK'), Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('carries provisioned throughput to the table and its GSIs, but not to LSIs', () => {
    const input = createTableInput('t', {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: keys('id', 'at'),
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [{ IndexName: 'g', KeySchema: keys('at'), Projection: { ProjectionType: 'KEYS_ONLY' } }],
      LocalSecondaryIndexes: [{ IndexName: 'l', KeySchema: keys('id', 'x'), Projection: { ProjectionType: 'ALL' } }],
    });
    expect(input.BillingMode).toBe('PROVISIONED');
    expect(input.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 2, WriteCapacityUnits: 3 });
    expect(input.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
    expect(input.LocalSecondaryIndexes?.[0]).not.toHaveProperty('ProvisionedThroughput');
  });

  it('refuses a table without a key schema', () => {
    expect(() => createTableInput('t', {})).toThrow(/t has no KeySchema/);
  });
});
