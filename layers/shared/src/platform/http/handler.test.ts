import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../observability.ts';
import { httpHandler } from './handler.ts';

const event = {
  httpMethod: 'GET',
  path: '/products',
  headers: { 'x-correlation-id': 'trace-7' },
  requestContext: { requestId: 'req-1' },
} as unknown as APIGatewayProxyEvent;
const context = {
  functionName: 'ListProductsFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ListProductsFunction',
  memoryLimitInMB: '256',
  awsRequestId: 'aws-req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

describe('httpHandler', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers a request DynamoDB refused as invalid with a 500 that does not invite a retry, and logs the defect with the operation', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const handler = httpHandler(async () => {
      throw Object.assign(new Error('The AttributeValue for a key attribute cannot contain an empty string value.'), {
        name: 'ValidationException',
        operation: 'QueryCommand',
      });
    });
    const result = await handler(event, context);
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['x-correlation-id']).toBe('trace-7');
    const problem = JSON.parse(result.body);
    expect(problem.detail).not.toMatch(/safe to retry/);
    expect(JSON.stringify(problem)).not.toMatch(/AttributeValue/);
    expect(logged).toHaveBeenCalledWith(
      'Defect: DynamoDB refused a request as invalid',
      expect.objectContaining({ defect: true, operation: 'QueryCommand' }),
    );
  });

  it('answers any other failure with a 500 that is safe to retry', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const result = await httpHandler(async () => {
      throw new Error('socket hang up');
    })(event, context);
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body).detail).toMatch(/safe to retry/);
  });
});
