import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './observability.ts';

// Created once per container, outside any handler, so warm invocations reuse the connection.
// The endpoint comes from the SDK's own settings (AWS_ENDPOINT_URL_DYNAMODB locally), so this
// code is the same in AWS and in the local cloud.
export const dynamoDbClient = tracer.captureAWSv3Client(new DynamoDBClient({}));

export const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});
