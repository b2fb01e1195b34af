import { afterEach, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, dynamoDbClient } from './clients.ts';

describe('the DynamoDB client', () => {
  afterEach(() => {
    dynamoDbClient.middlewareStack.remove('refuseEverything');
  });

  it('names the operation on every error, so a defect is logged with the call that caused it', async () => {
    // Stands in for DynamoDB answering with a ValidationException, before any request is sent.
    dynamoDbClient.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('The AttributeValue for a key attribute cannot contain an empty string value.'), { name: 'ValidationException' });
      },
      { step: 'finalizeRequest', name: 'refuseEverything' },
    );
    const error = await documentClient
      .send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'x' } }))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ValidationException', operation: 'QueryCommand' });
  });
});
