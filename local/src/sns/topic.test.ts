import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { QueueRegistry } from '../sqs/registry.ts';
import { TopicRegistry, type Delivery, type SubscriptionMatcher } from './topic.ts';
import { SnsError } from './topic-validation.ts';

function setup(matcher: SubscriptionMatcher = () => true) {
  const clock = new ManualClock(Date.parse('2025-03-01T10:00:00.123Z'));
  const queues = new QueueRegistry({ clock });
  const failures: Delivery[] = [];
  const topics = new TopicRegistry({
    resolveQueue: (arn) => queues.getByArn(arn),
    matcher,
    clock,
    onDeliveryFailure: (delivery) => failures.push(delivery),
  });
  const topic = topics.create('order-events');
  return { clock, queues, topics, topic, failures };
}

async function receiveOne(queue: ReturnType<QueueRegistry['create']>) {
  const [message] = await queue.receive();
  if (!message) throw new Error(`no message in ${queue.name}`);
  return message;
}

function snsErrorCode(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof SnsError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('TopicRegistry.publish', () => {
  it('fans out to every subscribed queue inside the SNS envelope', async () => {
    const { queues, topics, topic } = setup();
    const billing = queues.create('billing');
    const shipping = queues.create('shipping');
    const subscription = topics.subscribe({ topicArn: topic.arn, queueArn: billing.arn });
    topics.subscribe({ topicArn: topic.arn, queueArn: shipping.arn });

    const result = topics.publish(topic.arn, {
      message: '{"orderId":"o-1"}',
      subject: 'Order placed',
      messageAttributes: { eventType: { DataType: 'String', StringValue: 'order.placed' } },
    });
    expect(result.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);

    const received = await receiveOne(billing);
    expect(JSON.parse(received.body)).toMatchObject({
      Type: 'Notification',
      MessageId: result.messageId,
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:order-events',
      Subject: 'Order placed',
      Message: '{"orderId":"o-1"}',
      Timestamp: '2025-03-01T10:00:00.123Z',
      UnsubscribeURL: expect.stringContaining(subscription.subscriptionArn),
      MessageAttributes: { eventType: { Type: 'String', Value: 'order.placed' } },
    });
    // The envelope carries the attributes; the SQS message itself has none.
    expect(received.messageAttributes).toEqual({});
    expect(received.attributes.SenderId).toBe('AIDAIT2UOQQY3AUEKVGXU');
    expect(JSON.parse((await receiveOne(shipping)).body).MessageId).toBe(result.messageId);
  });

  it('with raw delivery sends the bare message and turns attributes into SQS attributes', async () => {
    const { queues, topics, topic } = setup();
    const queue = queues.create('raw');
    topics.subscribe({ topicArn: topic.arn, queueArn: queue.arn, rawMessageDelivery: true });
    topics.publish(topic.arn, {
      message: 'plain text',
      messageAttributes: {
        eventType: { DataType: 'String', StringValue: 'order.placed' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([7]) },
      },
    });
    const received = await receiveOne(queue);
    expect(received.body).toBe('plain text');
    expect(received.messageAttributes).toEqual({
      eventType: { DataType: 'String', StringValue: 'order.placed' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([7]) },
    });
  });

  it('consults the matcher only for subscriptions with a filter policy', async () => {
    const matcher = vi.fn<SubscriptionMatcher>(() => false);
    const { queues, topics, topic } = setup(matcher);
    const all = queues.create('all');
    const filtered = queues.create('filtered');
    topics.subscribe({ topicArn: topic.arn, queueArn: all.arn });
    const withPolicy = topics.subscribe({
      topicArn: topic.arn,
      queueArn: filtered.arn,
      filterPolicy: { eventType: ['order.cancelled'] },
      filterPolicyScope: 'MessageAttributes',
    });
    const attributes = { eventType: { DataType: 'String', StringValue: 'order.placed' } };

    const result = topics.publish(topic.arn, { message: 'm', messageAttributes: attributes });
    expect(result.deliveries.map((d) => d.status)).toEqual(['delivered', 'filtered-out']);
    expect(matcher).toHaveBeenCalledTimes(1);
    expect(matcher).toHaveBeenCalledWith(withPolicy, { body: 'm', attributes });
    expect(filtered.depth().visible).toBe(0);

    matcher.mockReturnValue(true);
    topics.publish(topic.arn, { message: 'm2', messageAttributes: attributes });
    expect(filtered.depth().visible).toBe(1);
  });

  it('fails only the deliveries whose matcher throws', () => {
    const { queues, topics, topic, failures } = setup(() => {
      throw new Error('bad policy');
    });
    const plain = queues.create('plain');
    const broken = queues.create('broken');
    topics.subscribe({ topicArn: topic.arn, queueArn: plain.arn });
    topics.subscribe({ topicArn: topic.arn, queueArn: broken.arn, filterPolicy: '{"a":"not-a-list"}' });
    const result = topics.publish(topic.arn, { message: 'm' });
    expect(result.deliveries.map((d) => d.status)).toEqual(['delivered', 'failed']);
    expect(failures[0]?.reason).toContain('bad policy');
  });

  it('delivers the sqs entry (or default) of a MessageStructure json message', async () => {
    const { queues, topics, topic } = setup();
    const queue = queues.create('q');
    topics.subscribe({ topicArn: topic.arn, queueArn: queue.arn, rawMessageDelivery: true });
    topics.publish(topic.arn, { message: '{"default":"d","sqs":"for sqs"}', messageStructure: 'json' });
    topics.publish(topic.arn, { message: '{"default":"d","email":"e"}', messageStructure: 'json' });
    const bodies = (await queue.receive({ maxNumberOfMessages: 10 })).map((m) => m.body);
    expect(bodies).toEqual(['for sqs', 'd']);
  });

  it('reports deliveries SNS could not make without failing the publish', () => {
    const { queues, topics, topic, failures } = setup();
    const queue = queues.create('raw');
    topics.subscribe({ topicArn: topic.arn, queueArn: 'arn:aws:sqs:us-east-1:000000000000:gone' });
    topics.subscribe({ topicArn: topic.arn, queueArn: queue.arn, rawMessageDelivery: true });
    const tooMany = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
    );
    const result = topics.publish(topic.arn, { message: 'm', messageAttributes: tooMany });
    expect(result.deliveries.map((d) => d.status)).toEqual(['failed', 'failed']);
    expect(failures.map((f) => f.reason)).toEqual([
      'the queue does not exist',
      expect.stringContaining('exceeds the allowed maximum [10]'),
    ]);
  });

  it('rejects what SNS rejects', () => {
    const { topics, topic } = setup();
    expect(snsErrorCode(() => topics.publish('arn:aws:sns:us-east-1:000000000000:nope', { message: 'm' }))).toBe('NotFound');
    expect(snsErrorCode(() => topics.publish(topic.arn, { message: '' }))).toBe('InvalidParameter');
    expect(snsErrorCode(() => topics.publish(topic.arn, { message: 'x'.repeat(262_145) }))).toBe('InvalidParameter');
    expect(snsErrorCode(() => topics.publish(topic.arn, { message: 'm', subject: 'two\nlines' }))).toBe('InvalidParameter');
    expect(snsErrorCode(() => topics.publish(topic.arn, { message: '{"sqs":"x"}', messageStructure: 'json' }))).toBe('InvalidParameter');
    expect(
      snsErrorCode(() =>
        topics.publish(topic.arn, { message: 'm', messageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } }),
      ),
    ).toBe('ParameterValueInvalid');
    expect(
      snsErrorCode(() =>
        topics.publish(topic.arn, { message: 'm', messageAttributes: { s: { DataType: 'String' } } }),
      ),
    ).toBe('ParameterValueInvalid');
  });
});

describe('TopicRegistry.publishBatch', () => {
  it('publishes each valid entry and reports the invalid ones', async () => {
    const { queues, topics, topic } = setup();
    const queue = queues.create('q');
    topics.subscribe({ topicArn: topic.arn, queueArn: queue.arn, rawMessageDelivery: true });
    const result = topics.publishBatch(topic.arn, [
      { id: 'a', message: 'one' },
      { id: 'b', message: '' },
      { id: 'c', message: 'three' },
    ]);
    expect(result.successful.map((e) => e.id)).toEqual(['a', 'c']);
    expect(result.failed).toEqual([
      { id: 'b', code: 'InvalidParameter', message: 'Invalid parameter: Empty message', senderFault: true },
    ]);
    expect((await queue.receive({ maxNumberOfMessages: 10 })).map((m) => m.body)).toEqual(['one', 'three']);
  });

  it('rejects malformed batches as a whole', () => {
    const { topics, topic } = setup();
    expect(snsErrorCode(() => topics.publishBatch(topic.arn, []))).toBe('EmptyBatchRequest');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ id: `e${i}`, message: 'm' }));
    expect(snsErrorCode(() => topics.publishBatch(topic.arn, eleven))).toBe('TooManyEntriesInBatchRequest');
    expect(
      snsErrorCode(() => topics.publishBatch(topic.arn, [{ id: 'x', message: 'a' }, { id: 'x', message: 'b' }])),
    ).toBe('BatchEntryIdsNotDistinct');
    expect(snsErrorCode(() => topics.publishBatch(topic.arn, [{ id: 'bad id', message: 'a' }]))).toBe('InvalidBatchEntryId');
    expect(
      snsErrorCode(() =>
        topics.publishBatch(topic.arn, [{ id: 'a', message: 'x'.repeat(200_000) }, { id: 'b', message: 'x'.repeat(100_000) }]),
      ),
    ).toBe('BatchRequestTooLong');
  });
});
