import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFunctionDefinitions } from '../lambda/from-template.ts';
import { freePort } from '../core/ports.ts';
import { fixtureTemplate, propertiesOf } from '../../test-support/messaging-fixtures/fixture-template.ts';
import { type LocalMessaging, startLocalMessaging } from './local-messaging.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('startLocalMessaging', () => {
  const fixture = fixtureTemplate();
  const warnings: string[] = [];
  let messaging: LocalMessaging;
  let sqs: SQSClient;
  let sns: SNSClient;

  beforeAll(async () => {
    // Queue time 100 times faster: WorkQueue's 2 s delay passes in 20 ms.
    messaging = await startLocalMessaging({ ...fixture, ports: { sqs: 0, sns: 0 }, timeScale: 0.01, onWarning: (message) => warnings.push(message) });
    sqs = new SQSClient({ endpoint: messaging.sqsEndpoint, region: 'us-east-1', credentials });
    sns = new SNSClient({ endpoint: messaging.snsEndpoint, region: 'us-east-1', credentials });
  });

  afterAll(async () => {
    sqs?.destroy();
    sns?.destroy();
    await messaging?.stop();
  });

  const urlOf = (logicalId: string) => messaging.queues.find((queue) => queue.logicalId === logicalId)!.url;
  const receive = async (logicalId: string) =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl: urlOf(logicalId), WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }))).Messages ?? [];

  it('serves SQS and SNS on loopback and gives functions local values for queues and topics', () => {
    expect(messaging.sqsEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(messaging.snsEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const worker = readFunctionDefinitions(fixture.template, fixture.resolver, fixture.directory).find((fn) => fn.logicalId === 'WorkerFunction');
    expect(worker?.environment).toMatchObject({
      WORK_QUEUE_URL: `${messaging.sqsEndpoint}/000000000000/demo-work`,
      EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:EventsTopic',
    });
  });

  it('creates each queue with the settings the template gives it', async () => {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: urlOf('WorkQueue'), AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:demo-work',
      VisibilityTimeout: '60',
      DelaySeconds: '2',
      ReceiveMessageWaitTimeSeconds: '5',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:WorkDLQ', maxReceiveCount: 3 }),
    });
  });

  it('delivers a publish to the subscriptions whose filter policy matches, enveloped or raw', async () => {
    const topicArn = messaging.topics[0]!.arn;
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify({ kind: 'audit-log', orderId: 'o-1' }),
        MessageAttributes: { eventType: { DataType: 'String', StringValue: 'OrderPlaced' } },
      }),
    );
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ kind: 'other' }), MessageAttributes: { eventType: { DataType: 'String', StringValue: 'Other' } } }));

    const [work, ...moreWork] = await receive('WorkQueue');
    expect(moreWork).toEqual([]);
    expect(JSON.parse(work?.Body ?? '{}')).toMatchObject({ Type: 'Notification', TopicArn: topicArn, Message: JSON.stringify({ kind: 'audit-log', orderId: 'o-1' }) });
    const audit = await receive('AuditQueue');
    expect(audit.map((message) => message.Body)).toEqual([JSON.stringify({ kind: 'audit-log', orderId: 'o-1' })]);
  });

  it('reports what the template has that it does not deliver to', () => {
    expect(warnings).toEqual([
      expect.stringContaining('EmailSubscription: email protocol subscriptions are not emulated'),
      expect.stringContaining('AuditSubscription delivers to AuditQueue, but no AWS::SQS::QueuePolicy'),
    ]);
  });
});

describe('startLocalMessaging with a bad template', () => {
  it('fails loudly, naming the resource, and leaves no server behind', async () => {
    const fixture = fixtureTemplate((resources) => (propertiesOf(resources, 'WorkSubscription').FilterPolicy = { eventType: [{ prefix: 1 }] }));
    const ports = { sqs: await freePort(), sns: await freePort() };
    const start = () => startLocalMessaging({ ...fixture, ports, timeScale: 1, onWarning: () => {} });
    await expect(start()).rejects.toThrow(/^WorkSubscription: invalid FilterPolicy/);
    // The same ports are free again: a fixed template starts.
    const fixed = await startLocalMessaging({ ...fixtureTemplate(), ports, timeScale: 1, onWarning: () => {} });
    await fixed.stop();
  });

  it('refuses queue settings SQS refuses, naming the queue', async () => {
    const fixture = fixtureTemplate((resources) => (propertiesOf(resources, 'AuditQueue').VisibilityTimeout = 50_000));
    await expect(startLocalMessaging({ ...fixture, ports: { sqs: 0, sns: 0 }, timeScale: 1, onWarning: () => {} })).rejects.toThrow(
      'AuditQueue: Value 50000 for parameter VisibilityTimeout is invalid',
    );
  });
});
