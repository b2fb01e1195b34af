import { describe, expect, it } from 'vitest';
import { QueueRegistry } from '../sqs/registry.ts';
import { TopicRegistry } from './topic.ts';
import { createFilterPolicyMatcher } from './topic-filter-policy.ts';

// Topic delivery wired to the real filter-policy engine; the policy semantics themselves are
// tested in filter-policy.test.ts.
describe('createFilterPolicyMatcher', () => {
  function setup() {
    const queues = new QueueRegistry();
    const topics = new TopicRegistry({
      resolveQueue: (arn) => queues.getByArn(arn),
      matcher: createFilterPolicyMatcher(),
    });
    const topic = topics.create('order-events');
    return { queues, topics, topic };
  }

  it('filters on message attributes by default', () => {
    const { queues, topics, topic } = setup();
    const cancellations = queues.create('cancellations');
    topics.subscribe({
      topicArn: topic.arn,
      queueArn: cancellations.arn,
      filterPolicy: { eventType: ['order.cancelled'] },
    });
    const publish = (eventType: string) =>
      topics.publish(topic.arn, {
        message: '{}',
        messageAttributes: { eventType: { DataType: 'String', StringValue: eventType } },
      });
    expect(publish('order.placed').deliveries[0]?.status).toBe('filtered-out');
    expect(publish('order.cancelled').deliveries[0]?.status).toBe('delivered');
    expect(cancellations.depth().visible).toBe(1);
  });

  it('filters on the body with the MessageBody scope, given the policy as a JSON string', () => {
    const { queues, topics, topic } = setup();
    const bigOrders = queues.create('big-orders');
    topics.subscribe({
      topicArn: topic.arn,
      queueArn: bigOrders.arn,
      filterPolicy: '{"total":[{"numeric":[">=",100]}]}',
      filterPolicyScope: 'MessageBody',
    });
    expect(topics.publish(topic.arn, { message: '{"total":20}' }).deliveries[0]?.status).toBe('filtered-out');
    expect(topics.publish(topic.arn, { message: '{"total":250}' }).deliveries[0]?.status).toBe('delivered');
  });

  it('turns an invalid policy into a failed delivery, not a failed publish', () => {
    const { queues, topics, topic } = setup();
    const queue = queues.create('q');
    topics.subscribe({ topicArn: topic.arn, queueArn: queue.arn, filterPolicy: { eventType: 'not-a-list' } });
    const result = topics.publish(topic.arn, { message: 'm' });
    expect(result.deliveries[0]?.status).toBe('failed');
  });
});
