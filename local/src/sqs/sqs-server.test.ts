import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QueueRegistry } from './registry.ts';
import { SqsServer } from './sqs-server.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

type ServiceError = Error & { $metadata: { httpStatusCode?: number } };

async function failureOf(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

describe('SqsServer with the AWS SDK v3 SQS client', () => {
  let registry: QueueRegistry;
  let server: SqsServer;
  let client: SQSClient;
  let queueUrl: string;

  beforeAll(async () => {
    registry = new QueueRegistry();
    server = new SqsServer({ registry, port: 0 });
    const endpoint = await server.start();
    client = new SQSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await server.stop();
  });

  beforeEach(async () => {
    for (const queue of registry.list()) queue.purge();
    if (!registry.getByName('orders')) {
      const dlq = registry.create('orders-dlq');
      registry.create('orders', {
        visibilityTimeout: 30,
        redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 },
      });
    }
    ({ QueueUrl: queueUrl = '' } = await client.send(new GetQueueUrlCommand({ QueueName: 'orders' })));
  });

  it('hands out queue URLs on its own origin', () => {
    expect(queueUrl).toBe(`${server.endpoint}/000000000000/orders`);
  });

  it('reports unknown queues the way SQS does', async () => {
    const error = await failureOf(client.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    expect(error).toMatchObject({ name: 'QueueDoesNotExist', message: 'The specified queue does not exist.' });
    expect(error.$metadata.httpStatusCode).toBe(400);
    await expect(
      client.send(new SendMessageCommand({ QueueUrl: `${server.endpoint}/000000000000/nope`, MessageBody: 'x' })),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });

  it('round-trips a message with attributes and system attributes', async () => {
    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"orderId":"o-1"}',
        MessageAttributes: {
          attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
          amount: { DataType: 'Number', StringValue: '42' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' } },
      }),
    );
    expect(sent.MessageId).toEqual(expect.any(String));
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);

    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    expect(Messages).toHaveLength(1);
    const [message] = Messages;
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: '{"orderId":"o-1"}',
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      MessageAttributes: {
        attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
        amount: { DataType: 'Number', StringValue: '42' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
      },
      Attributes: {
        ApproximateReceiveCount: '1',
        SenderId: '000000000000',
        AWSTraceHeader: 'Root=1-abc',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
    });
  });

  it('returns only the attributes that were asked for', async () => {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: 'x',
        MessageAttributes: {
          'trace.id': { DataType: 'String', StringValue: 't' },
          'trace.span': { DataType: 'String', StringValue: 's' },
          other: { DataType: 'String', StringValue: 'o' },
        },
      }),
    );
    const { Messages: [message] = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MessageSystemAttributeNames: ['SentTimestamp'],
        MessageAttributeNames: ['trace.*'],
      }),
    );
    expect(Object.keys(message?.Attributes ?? {})).toEqual(['SentTimestamp']);
    expect(Object.keys(message?.MessageAttributes ?? {}).sort()).toEqual(['trace.id', 'trace.span']);

    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'y' }));
    const { Messages: [bare] = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    expect(bare?.Attributes).toBeUndefined();
    expect(bare?.MessageAttributes).toBeUndefined();
  });

  it('long-polls until a message arrives', async () => {
    const started = Date.now();
    const pending = client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'late' }));
    const { Messages = [] } = await pending;
    expect(Messages.map((m) => m.Body)).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('returns no Messages key after an empty short poll', async () => {
    const output = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    expect(output.Messages).toBeUndefined();
  });

  it('deletes with a receipt handle and rejects a malformed one', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    const { Messages: [message] = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message?.ReceiptHandle }));
    expect(registry.getByName('orders')?.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    const error = await failureOf(
      client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: 'garbage' })),
    );
    expect(error.name).toBe('ReceiptHandleIsInvalid');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('reports per-entry failures in batch calls', async () => {
    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'ok', MessageBody: 'one' },
          { Id: 'bad', MessageBody: 'two', DelaySeconds: 901 },
        ],
      }),
    );
    expect(sent.Successful?.map((e) => e.Id)).toEqual(['ok']);
    expect(sent.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);

    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    const deleted = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a', ReceiptHandle: Messages[0]?.ReceiptHandle },
          { Id: 'b', ReceiptHandle: 'garbage' },
        ],
      }),
    );
    expect(deleted.Successful).toEqual([{ Id: 'a' }]);
    expect(deleted.Failed).toEqual([expect.objectContaining({ Id: 'b', Code: 'ReceiptHandleIsInvalid' })]);
  });

  it('rejects malformed batches as a whole', async () => {
    await expect(
      client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [] })),
    ).rejects.toMatchObject({ name: 'EmptyBatchRequest' });
    await expect(
      client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: [
            { Id: 'same', MessageBody: 'a' },
            { Id: 'same', MessageBody: 'b' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinct' });
  });

  it('changes visibility singly and in batches', async () => {
    await client.send(new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: [{ Id: '1', MessageBody: 'a' }, { Id: '2', MessageBody: 'b' }],
    }));
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(2);
    await client.send(new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl, ReceiptHandle: Messages[0]?.ReceiptHandle, VisibilityTimeout: 0,
    }));
    const batch = await client.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: queueUrl,
      Entries: [
        { Id: 'x', ReceiptHandle: Messages[1]?.ReceiptHandle, VisibilityTimeout: 0 },
        { Id: 'y', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
      ],
    }));
    expect(batch.Successful).toEqual([{ Id: 'x' }]);
    expect(batch.Failed?.[0]).toMatchObject({ Id: 'y', Code: 'ReceiptHandleIsInvalid' });
    expect(registry.getByName('orders')?.depth().visible).toBe(2);
  });

  it('reports queue attributes and depth', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a' }));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'b', DelaySeconds: 60 }));
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:orders',
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesDelayed: '1',
      VisibilityTimeout: '30',
    });
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:orders-dlq',
      maxReceiveCount: 1,
    });
    const some = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout', 'Policy'] }));
    expect(some.Attributes).toEqual({ VisibilityTimeout: '30' });
  });

  it('purges and lists queues', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a' }));
    await client.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    expect(registry.getByName('orders')?.depth().visible).toBe(0);

    const all = await client.send(new ListQueuesCommand({ QueueNamePrefix: 'orders' }));
    expect(all.QueueUrls).toEqual([
      `${server.endpoint}/000000000000/orders-dlq`,
      `${server.endpoint}/000000000000/orders`,
    ]);
    const page = await client.send(new ListQueuesCommand({ QueueNamePrefix: 'orders', MaxResults: 1 }));
    expect(page.QueueUrls).toHaveLength(1);
    const rest = await client.send(new ListQueuesCommand({ QueueNamePrefix: 'orders', MaxResults: 1, NextToken: page.NextToken }));
    expect(rest.QueueUrls).toEqual([`${server.endpoint}/000000000000/orders`]);
    expect(rest.NextToken).toBeUndefined();
  });

  it('redrives a DLQ with StartMessageMoveTask', async () => {
    const orders = registry.getByName('orders')!;
    const dlq = registry.getByName('orders-dlq')!;
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'poison' }));
    const { Messages: [first] = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: first?.ReceiptHandle, VisibilityTimeout: 0 }));
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();
    expect(dlq.depth().visible).toBe(1);

    const { TaskHandle } = await client.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    expect(TaskHandle).toEqual(expect.any(String));
    expect(orders.depth().visible).toBe(1);
    await expect(
      client.send(new StartMessageMoveTaskCommand({ SourceArn: orders.arn })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('SqsServer lifecycle and configuration', () => {
  it('is reachable through AWS_ENDPOINT_URL_SQS, as unchanged handler code will use it', async () => {
    const registry = new QueueRegistry();
    registry.create('env-queue');
    const server = new SqsServer({ registry });
    const previous = process.env['AWS_ENDPOINT_URL_SQS'];
    process.env['AWS_ENDPOINT_URL_SQS'] = await server.start();
    const client = new SQSClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'env-queue' }));
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'via env' }));
      expect(registry.getByName('env-queue')?.depth().visible).toBe(1);
    } finally {
      if (previous === undefined) delete process.env['AWS_ENDPOINT_URL_SQS'];
      else process.env['AWS_ENDPOINT_URL_SQS'] = previous;
      client.destroy();
      await server.stop();
    }
  });

  let server: SqsServer | undefined;
  afterEach(async () => server?.stop());

  it('answers pending long polls with no messages and closes promptly on stop', async () => {
    const registry = new QueueRegistry();
    registry.create('idle');
    server = new SqsServer({ registry });
    const endpoint = await server.start();
    const client = new SQSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const pending = client.send(
      new ReceiveMessageCommand({ QueueUrl: `${endpoint}/000000000000/idle`, WaitTimeSeconds: 20 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await server.stop();
    expect((await pending).Messages).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    client.destroy();
  });
});
