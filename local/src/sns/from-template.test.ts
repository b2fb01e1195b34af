import { describe, expect, it } from 'vitest';
import { fixtureTemplate, NAMING, propertiesOf } from '../../test-support/messaging-fixtures/fixture-template.ts';
import { readQueueDefinitions } from '../sqs/from-template.ts';
import { missingQueuePolicyWarnings, readSubscriptionDefinitions, readTopicDefinitions } from './from-template.ts';

function read(edit?: Parameters<typeof fixtureTemplate>[0]) {
  const { template, resolver, registry } = fixtureTemplate(edit);
  const queues = readQueueDefinitions(template, resolver, registry, NAMING);
  const topics = readTopicDefinitions(template, resolver, registry, NAMING);
  const reading = readSubscriptionDefinitions(template, resolver, topics, queues);
  return { template, resolver, registry, queues, topics, ...reading };
}

const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:EventsTopic';

describe('readTopicDefinitions', () => {
  it('registers each topic: Ref is its ARN', () => {
    const { topics, registry } = read();
    expect(topics).toEqual([{ logicalId: 'EventsTopic', name: 'EventsTopic', arn: TOPIC_ARN }]);
    expect([registry.ref('EventsTopic'), registry.getAtt('EventsTopic', 'TopicName')]).toEqual([TOPIC_ARN, 'EventsTopic']);
  });

  it('refuses FIFO topics', () => {
    expect(() => read((resources) => (propertiesOf(resources, 'EventsTopic').FifoTopic = 'true'))).toThrow('EventsTopic: FIFO topics are not emulated');
  });
});

describe('readSubscriptionDefinitions', () => {
  it('reads sqs subscriptions: queue, filter policy (object or JSON text) and scope, raw delivery, delivery DLQ', () => {
    const { subscriptions } = read();
    expect(subscriptions).toEqual([
      {
        logicalId: 'WorkSubscription',
        topicLogicalId: 'EventsTopic',
        queueLogicalId: 'WorkQueue',
        subscription: {
          topicArn: TOPIC_ARN,
          queueArn: 'arn:aws:sqs:us-east-1:000000000000:demo-work',
          filterPolicy: { eventType: ['OrderPlaced'] },
          filterPolicyScope: 'MessageAttributes',
          rawMessageDelivery: false,
        },
        deliveryDeadLetterQueueLogicalId: 'DeliveryDLQ',
      },
      {
        logicalId: 'AuditSubscription',
        topicLogicalId: 'EventsTopic',
        queueLogicalId: 'AuditQueue',
        subscription: {
          topicArn: TOPIC_ARN,
          queueArn: 'arn:aws:sqs:us-east-1:000000000000:AuditQueue',
          filterPolicy: '{"kind": [{"prefix": "audit"}]}',
          filterPolicyScope: 'MessageBody',
          rawMessageDelivery: true,
        },
      },
    ]);
  });

  it('warns about the protocols it does not deliver to', () => {
    expect(read().warnings).toEqual(['EmailSubscription: email protocol subscriptions are not emulated; EventsTopic does not deliver to it']);
  });

  it('reads inline Subscription entries of a topic', () => {
    const { subscriptions } = read((resources) => {
      propertiesOf(resources, 'EventsTopic').Subscription = [{ Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': ['OnFailureDLQ', 'Arn'] } }];
    });
    expect(subscriptions.at(-1)).toMatchObject({ logicalId: 'EventsTopic.Subscription[0]', queueLogicalId: 'OnFailureDLQ' });
  });

  it('fails start-up on a filter policy SNS would refuse, with its reason', () => {
    expect(() => read((resources) => (propertiesOf(resources, 'WorkSubscription').FilterPolicy = { eventType: 'OrderPlaced' }))).toThrow(
      /^WorkSubscription: invalid FilterPolicy: /,
    );
    expect(() => read((resources) => (propertiesOf(resources, 'WorkSubscription').FilterPolicy = '{"eventType": [}'))).toThrow(/WorkSubscription: invalid FilterPolicy/);
    expect(() => read((resources) => (propertiesOf(resources, 'WorkSubscription').FilterPolicyScope = 'Body'))).toThrow(
      'WorkSubscription: FilterPolicyScope must be MessageAttributes or MessageBody',
    );
  });

  it('fails start-up on an endpoint, topic or DLQ outside the template', () => {
    expect(() => read((resources) => (propertiesOf(resources, 'WorkSubscription').Endpoint = 'arn:aws:sqs:us-east-1:000000000000:Nowhere'))).toThrow(
      'WorkSubscription: Endpoint "arn:aws:sqs:us-east-1:000000000000:Nowhere" is not a queue ARN of this template',
    );
    expect(() => read((resources) => (propertiesOf(resources, 'WorkSubscription').TopicArn = 'arn:aws:sns:us-east-1:000000000000:Other'))).toThrow(
      'is not a topic of this template',
    );
    expect(() => read((resources) => (propertiesOf(resources, 'WorkSubscription').RedrivePolicy = { deadLetterTargetArn: 'arn:aws:sqs:x' }))).toThrow(
      'WorkSubscription: RedrivePolicy.deadLetterTargetArn "arn:aws:sqs:x" is not a queue of this template',
    );
  });
});

describe('missingQueuePolicyWarnings', () => {
  it('warns about a subscribed queue no queue policy lets SNS send to', () => {
    const { template, resolver, subscriptions, queues } = read();
    expect(missingQueuePolicyWarnings(template, resolver, subscriptions, queues)).toEqual([
      expect.stringMatching(/^AuditSubscription delivers to AuditQueue, but no AWS::SQS::QueuePolicy lets sns.amazonaws.com sqs:SendMessage to it/),
    ]);
  });
});
