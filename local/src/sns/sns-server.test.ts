import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Queue } from '../sqs/queue.ts';
import { QueueRegistry } from '../sqs/registry.ts';
import { SnsServer } from './sns-server.ts';
import { TopicRegistry } from './topic.ts';

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

describe('SnsServer with the AWS SDK v3 SNS client', () => {
  const queues = new QueueRegistry();
  const topics = new TopicRegistry({
    resolveQueue: (arn) => queues.getByArn(arn),
    // Policy semantics are filter-policy.ts's business; here a policy just names the eventType.
    matcher: (subscription, message) =>
      (subscription.filterPolicy as { eventType: string[] }).eventType.includes(
        message.attributes['eventType']?.StringValue ?? '',
      ),
  });
  const topic = topics.create('order-events');
  let enveloped: Queue;
  let raw: Queue;
  let server: SnsServer;
  let client: SNSClient;

  beforeAll(async () => {
    enveloped = queues.create('enveloped');
    raw = queues.create('raw');
    const filtered = queues.create('cancellations');
    topics.subscribe({ topicArn: topic.arn, queueArn: enveloped.arn });
    topics.subscribe({ topicArn: topic.arn, queueArn: raw.arn, rawMessageDelivery: true });
    topics.subscribe({
      topicArn: topic.arn,
      queueArn: filtered.arn,
      filterPolicy: { eventType: ['order.cancelled'] },
    });
    server = new SnsServer({ topics });
    client = new SNSClient({ endpoint: await server.start(), region: 'us-east-1', credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await server.stop();
  });

  beforeEach(() => {
    for (const queue of queues.list()) queue.purge();
  });

  it('publishes with attributes and delivers the SNS envelope to SQS', async () => {
    const { MessageId } = await client.send(
      new PublishCommand({
        TopicArn: topic.arn,
        Message: '{"orderId":"o-1","note":"<&>"}',
        Subject: 'Order placed',
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'order.placed' },
          amount: { DataType: 'Number', StringValue: '12.5' },
          tags: { DataType: 'String.Array', StringValue: '["a","b"]' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) },
        },
      }),
    );
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);

    const [message] = await enveloped.receive();
    expect(JSON.parse(message?.body ?? '')).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: topic.arn,
      Subject: 'Order placed',
      Message: '{"orderId":"o-1","note":"<&>"}',
      SignatureVersion: '1',
      MessageAttributes: {
        eventType: { Type: 'String', Value: 'order.placed' },
        amount: { Type: 'Number', Value: '12.5' },
        tags: { Type: 'String.Array', Value: '["a","b"]' },
        blob: { Type: 'Binary', Value: 'AQL/' },
      },
    });

    const [rawMessage] = await raw.receive();
    expect(rawMessage?.body).toBe('{"orderId":"o-1","note":"<&>"}');
    expect(rawMessage?.messageAttributes['blob']).toEqual({ DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) });
    expect(queues.getByName('cancellations')?.depth().visible).toBe(0);
  });

  it('applies subscription filter policies', async () => {
    await client.send(
      new PublishCommand({
        TopicArn: topic.arn,
        Message: 'cancelled',
        MessageAttributes: { eventType: { DataType: 'String', StringValue: 'order.cancelled' } },
      }),
    );
    expect(queues.getByName('cancellations')?.depth().visible).toBe(1);
  });

  it('publishes a batch and reports per-entry failures', async () => {
    const output = await client.send(
      new PublishBatchCommand({
        TopicArn: topic.arn,
        PublishBatchRequestEntries: [
          { Id: 'one', Message: 'first', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
          { Id: 'two', Message: 'second', MessageAttributes: { n: { DataType: 'Number', StringValue: 'NaN-ish' } } },
          { Id: 'three', Message: 'third' },
        ],
      }),
    );
    expect(output.Successful?.map((entry) => entry.Id)).toEqual(['one', 'three']);
    expect(output.Successful?.[0]?.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(output.Failed).toEqual([
      expect.objectContaining({ Id: 'two', Code: 'ParameterValueInvalid', SenderFault: true }),
    ]);
    const bodies = (await raw.receive({ maxNumberOfMessages: 10 })).map((m) => m.body);
    expect(bodies).toEqual(['first', 'third']);
  });

  it('answers errors the way SNS does', async () => {
    const notFound = await failureOf(
      client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing', Message: 'x' })),
    );
    expect(notFound).toMatchObject({ name: 'NotFoundException', message: 'Topic does not exist' });
    expect(notFound.$metadata.httpStatusCode).toBe(404);

    await expect(
      client.send(new PublishCommand({ TopicArn: topic.arn, Message: '' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Empty message' });
    await expect(
      client.send(
        new PublishCommand({
          TopicArn: topic.arn,
          Message: 'x',
          MessageAttributes: { s: { DataType: 'String', StringValue: '' } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      client.send(new PublishBatchCommand({ TopicArn: topic.arn, PublishBatchRequestEntries: [] })),
    ).rejects.toMatchObject({ name: 'EmptyBatchRequestException' });
  });

  it('is reachable through AWS_ENDPOINT_URL_SNS, as unchanged handler code will use it', async () => {
    const previous = process.env['AWS_ENDPOINT_URL_SNS'];
    process.env['AWS_ENDPOINT_URL_SNS'] = server.endpoint;
    const envClient = new SNSClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      await envClient.send(new PublishCommand({ TopicArn: topic.arn, Message: 'via env' }));
      expect(raw.depth().visible).toBe(1);
    } finally {
      if (previous === undefined) delete process.env['AWS_ENDPOINT_URL_SNS'];
      else process.env['AWS_ENDPOINT_URL_SNS'] = previous;
      envClient.destroy();
    }
  });
});
