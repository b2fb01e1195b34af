import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { targetCredentials } from './target.ts';

let client: DynamoDBDocumentClient | undefined;

/** A DocumentClient on DynamoDB Local, for asserting what the handlers stored. */
export function documentClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: inject('dynamoEndpoint'),
      region: inject('region'),
      ...targetCredentials(),
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return client;
}

/** The local name of the template's OrdersTable. */
export const tableName = (): string => inject('tableName');
