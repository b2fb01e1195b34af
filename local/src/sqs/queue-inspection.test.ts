import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureTemplate } from '../../test-support/messaging-fixtures/fixture-template.ts';
import { type LocalMessaging, startLocalMessaging } from '../cloud/local-messaging.ts';
import { bodyPreview, findQueue, peekMessages, QueueInspectionError, queueDepths, redriveDeadLetterQueue } from './queue-inspection.ts';
import { type QueueSummary, summarizeQueues } from '../cloud/queue-summary.ts';

describe('queue inspection through the SQS API', () => {
  let messaging: LocalMessaging;
  let client: SQSClient;
  let queues: QueueSummary[];

  beforeAll(async () => {
    messaging = await startLocalMessaging({ ...fixtureTemplate(), ports: { sqs: 0, sns: 0 }, timeScale: 0.001, onWarning: () => {} });
    client = new SQSClient({ endpoint: messaging.sqsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    queues = summarizeQueues(messaging, []);
  });

  afterAll(async () => {
    client?.destroy();
    await messaging?.stop();
  });

  const queue = (logicalId: string) => messaging.queues.find((candidate) => candidate.logicalId === logicalId)!.queue;

  it('summarizes which queue dead-letters where', () => {
    expect(findQueue(queues, 'workdlq')?.deadLetterFor).toEqual([{ kind: 'queue', logicalId: 'WorkQueue' }]);
    expect(findQueue(queues, 'demo-work')?.deadLetterQueue).toEqual({ logicalId: 'WorkDLQ', maxReceiveCount: 3 });
    expect(findQueue(queues, 'DeliveryDLQ')?.deadLetterFor).toEqual([{ kind: 'subscription', logicalId: 'WorkSubscription' }]);
  });

  it('reads depths, peeks at dead letters and redrives them to their source queue', async () => {
    const work = queue('WorkQueue');
    work.send({ body: JSON.stringify({ Type: 'Notification', Message: '{"orderId":  "o-1"}' }), delaySeconds: 0 });
    // Three receives without a delete, then the fourth moves it to the DLQ.
    for (let receive = 0; receive < 4; receive += 1) {
      await work.receive({ visibilityTimeout: 0 });
    }
    const depths = await queueDepths(client, queues);
    expect(depths.find((row) => row.logicalId === 'WorkDLQ')).toEqual({ logicalId: 'WorkDLQ', name: 'WorkDLQ', visible: 1, inFlight: 0, delayed: 0 });

    const [dead, ...others] = await peekMessages(client, findQueue(queues, 'WorkDLQ')!);
    expect(others).toEqual([]);
    expect(dead).toMatchObject({ receiveCount: 4, sourceQueueArn: work.arn });
    expect(bodyPreview(dead!.body)).toBe('{"orderId": "o-1"}');

    const result = await redriveDeadLetterQueue(client, findQueue(queues, 'WorkDLQ')!, queues);
    expect(result).toEqual({ moved: 1, remaining: 0, destinations: ['WorkQueue'] });
    expect(work.depth().visible).toBe(1);
  });

  it('explains why a queue that is no queue’s DLQ cannot be redriven', async () => {
    const redrive = redriveDeadLetterQueue(client, findQueue(queues, 'DeliveryDLQ')!, queues);
    await expect(redrive).rejects.toBeInstanceOf(QueueInspectionError);
    await expect(redriveDeadLetterQueue(client, findQueue(queues, 'DeliveryDLQ')!, queues)).rejects.toThrow(
      'DeliveryDLQ cannot be redriven: it is the delivery dead-letter queue of WorkSubscription (SNS)',
    );
  });

  it('previews long bodies on one line', () => {
    expect(bodyPreview('a\n  b', 10)).toBe('a b');
    expect(bodyPreview('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
