import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionEnvironment } from './execution-environment.ts';
import { installSdkMetrics, type SdkCall, totalCapacityUnits } from './sdk-metrics.ts';

/** A client whose requests never leave the process: a serialize-step middleware answers them. */
function fakeDynamoDb(reply: (input: Record<string, unknown>) => Record<string, unknown> | Error) {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const inputs: Array<Record<string, unknown>> = [];
  client.middlewareStack.add(
    () => async (args: { input: object }) => {
      const input = args.input as Record<string, unknown>;
      inputs.push(input);
      const answer = reply(input);
      if (answer instanceof Error) throw answer;
      return { output: { $metadata: {}, ...answer }, response: {} };
    },
    { step: 'serialize', priority: 'high', name: 'fakeDynamoDb' },
  );
  return { client, inputs };
}

let uninstall: (() => void) | undefined;
afterEach(() => {
  uninstall?.();
  uninstall = undefined;
});

describe('installSdkMetrics', () => {
  it('asks DynamoDB for the consumed capacity and reports each call with it', async () => {
    const calls: SdkCall[] = [];
    uninstall = installSdkMetrics((call) => calls.push(call));
    const { client, inputs } = fakeDynamoDb(() => ({ ConsumedCapacity: { TableName: 'orders', CapacityUnits: 0.5 } }));

    await client.send(new GetItemCommand({ TableName: 'orders', Key: { PK: { S: 'a' }, SK: { S: 'b' } } }));
    await client.send(new GetItemCommand({ TableName: 'orders', Key: { PK: { S: 'a' }, SK: { S: 'b' } }, ReturnConsumedCapacity: 'INDEXES' }));

    expect(inputs.map((input) => input.ReturnConsumedCapacity)).toEqual(['INDEXES', 'INDEXES']);
    const consumedCapacity = { TableName: 'orders', CapacityUnits: 0.5 };
    expect(calls).toEqual([
      // The request as the caller made it (which partition it read), without the added setting.
      { service: 'DynamoDB', command: 'GetItemCommand', capacityUnits: 0.5, failed: false, durationMs: expect.any(Number), dynamoDb: { input: { TableName: 'orders', Key: { PK: { S: 'a' }, SK: { S: 'b' } } }, consumedCapacity } },
      { service: 'DynamoDB', command: 'GetItemCommand', capacityUnits: 0.5, failed: false, durationMs: expect.any(Number), dynamoDb: { input: expect.objectContaining({ ReturnConsumedCapacity: 'INDEXES' }), consumedCapacity } },
    ]);
  });

  it('counts a document client call once, under the DynamoDB command, and failed calls too', async () => {
    const calls: SdkCall[] = [];
    uninstall = installSdkMetrics((call) => calls.push(call));
    let fail = false;
    const { client } = fakeDynamoDb(() => (fail ? new Error('ConditionalCheckFailed') : { ConsumedCapacity: [{ CapacityUnits: 4 }, { CapacityUnits: 2 }] }));
    const documents = DynamoDBDocumentClient.from(client);
    const write = new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'orders', Item: { PK: 'a', SK: 'b' } } }] });

    await documents.send(write);
    fail = true;
    await expect(documents.send(write)).rejects.toThrow('ConditionalCheckFailed');

    expect(calls).toEqual([
      { service: 'DynamoDB', command: 'TransactWriteItemsCommand', capacityUnits: 6, failed: false, durationMs: expect.any(Number), dynamoDb: expect.objectContaining({ input: expect.objectContaining({ TransactItems: [{ Put: { TableName: 'orders', Item: { PK: 'a', SK: 'b' } } }] }) }) },
      { service: 'DynamoDB', command: 'TransactWriteItemsCommand', failed: true, durationMs: expect.any(Number), dynamoDb: expect.anything() },
    ]);
  });

  it('restores the SDK when uninstalled and refuses a second installation', () => {
    uninstall = installSdkMetrics(() => undefined);
    expect(() => installSdkMetrics(() => undefined)).toThrow('already installed');
  });
});

describe('totalCapacityUnits', () => {
  it('adds up a list and reads a single entry', () => {
    expect(totalCapacityUnits(undefined)).toBeUndefined();
    expect(totalCapacityUnits({ CapacityUnits: 1.5 })).toBe(1.5);
    expect(totalCapacityUnits([{ CapacityUnits: 2 }, {}, { CapacityUnits: 1 }])).toBe(3);
  });
});

describe('in a Lambda execution environment (onSdkCall)', () => {
  const environment = (onSdkCall?: (call: SdkCall) => void) =>
    new ExecutionEnvironment({
      boot: {
        entryUrl: new URL('./fixtures/sdk-calls/index.ts', import.meta.url).href,
        exportName: 'handler',
        functionName: 'sdk-calls',
        functionVersion: '$LATEST',
        memorySizeMb: 128,
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:sdk-calls',
        logGroupName: '/aws/lambda/sdk-calls',
        logStreamName: 'stream',
      },
      env: { AWS_REGION: 'us-east-1' },
      timeoutSeconds: 10,
      onLog: () => undefined,
      ...(onSdkCall !== undefined && { onSdkCall }),
    });

  it("reports the handler's calls to the service, with consumed capacity", async () => {
    const calls: SdkCall[] = [];
    const instrumented = environment((call) => calls.push(call));
    try {
      const outcome = await instrumented.invoke('{}', 'req-1');
      expect(outcome).toMatchObject({ kind: 'success', payload: { returnConsumedCapacity: 'INDEXES' } });
      // The worker posts each call before the result, on the same port.
      expect(calls).toEqual([expect.objectContaining({ service: 'DynamoDB', command: 'GetItemCommand', capacityUnits: 0.5, failed: false, durationMs: expect.any(Number), dynamoDb: expect.objectContaining({ input: expect.any(Object) }) })]);
    } finally {
      await instrumented.stop();
    }
  });

  it('installs nothing without onSdkCall', async () => {
    const plain = environment();
    try {
      expect(await plain.invoke('{}', 'req-2')).toMatchObject({ kind: 'success', payload: { returnConsumedCapacity: null } });
    } finally {
      await plain.stop();
    }
  });
});
