import { randomUUID } from 'node:crypto';
import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { orderEvent, type OrderPlaced, routingAttributesOf } from '@orders/shared/events';
import { clearFaults, eventSourceBatches, injectFault, latestBatchSequence } from '../support/faults.ts';
import { dlqMessages, queueDepths, queueUrl, redrive, sendMessage, snsClient, sqsClient, topicArn } from '../support/messaging.ts';
import { notificationItems } from '../support/table.ts';
import { waitFor } from '../support/wait.ts';
import { notificationEnvelope } from '#local/sns/envelope.ts';

// How the notification consumer's failures play out in the local cloud: partial batch responses,
// retries after the visibility timeout, the DLQ after maxReceiveCount, redrive, duplicates.
// The consumer is the real NotifyCustomerFunction; a local fault makes it fail for one order
// without touching its code. Queue time runs faster (the integration time scale), so a message
// reaches the DLQ in seconds.

const CONSUMER = 'NotifyCustomerFunction';
const QUEUE = 'CustomerNotificationQueue';
const DLQ = 'CustomerNotificationDLQ';
const IN_TIME = { timeoutMs: 20_000 };

/** A valid OrderPlaced event for an order of its own. */
function orderPlaced(): OrderPlaced {
  const total = 2_450;
  return orderEvent.parse({
    eventId: `test-${randomUUID()}`,
    type: 'OrderPlaced',
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    data: {
      orderId: randomUUID(),
      customerId: randomUUID(),
      status: 'PENDING',
      currency: 'USD',
      total,
      lines: [{ productId: randomUUID(), productName: 'Test beans', unitPrice: total, quantity: 1, lineTotal: total }],
    },
  }) as OrderPlaced;
}

/** What the subscription puts in the queue for an event: SNS's envelope, as the local SNS builds it. */
function snsEnvelope(event: OrderPlaced): string {
  const topic = topicArn('OrderEventsTopic');
  return notificationEnvelope({
    messageId: randomUUID(),
    topicArn: topic,
    subscriptionArn: `${topic}:${randomUUID()}`,
    message: JSON.stringify(event),
    timestamp: new Date(),
    messageAttributes: attributesOf(event),
    serviceUrl: 'https://sns.us-east-1.amazonaws.com',
  });
}

function attributesOf(event: OrderPlaced) {
  return Object.fromEntries(
    Object.entries(routingAttributesOf(event)).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  );
}

const maxReceiveCount = () => inject('queues')[QUEUE]?.deadLetterQueue?.maxReceiveCount ?? 0;

describe('notification consumer failures', () => {
  beforeAll(async () => {
    // Whatever an earlier run of these tests left behind would be redriven with ours.
    await sqsClient().send(new PurgeQueueCommand({ QueueUrl: queueUrl(DLQ) }));
  });

  afterEach(async () => {
    await clearFaults();
  });

  it('retries only the failing message of a batch, dead-letters it after maxReceiveCount, and processes it exactly once after the fix and a redrive', async () => {
    expect(maxReceiveCount()).toBeGreaterThan(1);
    const before = await latestBatchSequence();
    const [first, failing, last] = [orderPlaced(), orderPlaced(), orderPlaced()];
    await injectFault(CONSUMER, { match: failing.data.orderId });

    // One PublishBatch: the three messages reach the queue together, so the consumer gets them
    // in one batch.
    await snsClient().send(
      new PublishBatchCommand({
        TopicArn: topicArn('OrderEventsTopic'),
        PublishBatchRequestEntries: [first, failing, last].map((event, index) => ({
          Id: `event${index}`,
          Message: JSON.stringify(event),
          MessageAttributes: attributesOf(event),
        })),
      }),
    );

    const dead = await waitFor(async () => (await dlqMessages(DLQ)).find((message) => message.body.includes(failing.data.orderId)), {
      ...IN_TIME,
      description: `the failing message in ${DLQ}`,
    });
    for (const event of [first, last]) expect(await notificationItems(event.data.orderId)).toHaveLength(1);
    expect(await notificationItems(failing.data.orderId)).toEqual([]);

    // The dead letter keeps its message id: follow it through the consumer's batches.
    const batches = await eventSourceBatches({ functionLogicalId: CONSUMER, after: before });
    const containing = (messageId: string) => batches.filter((batch) => batch.itemIds.includes(messageId));
    const attempts = containing(dead.messageId);
    expect(attempts).toHaveLength(maxReceiveCount());
    expect(attempts.every((batch) => batch.failedItemIds.length === 1 && batch.failedItemIds[0] === dead.messageId)).toBe(true);
    const [shared] = attempts;
    expect(shared).toMatchObject({ outcome: 'partial', failedItemIds: [dead.messageId] });
    // The three arrived together; another order's event (an earlier test's saga still settling)
    // may share their batch.
    expect(shared?.itemIds.length).toBeGreaterThanOrEqual(3);
    // Its batch mates succeeded the first time and were never delivered again.
    for (const messageId of shared?.itemIds.filter((id) => id !== dead.messageId) ?? []) {
      expect(containing(messageId)).toHaveLength(1);
    }

    await clearFaults();
    const afterRedrive = await latestBatchSequence();
    expect(await redrive(DLQ)).toMatchObject({ moved: 1, destinations: [QUEUE] });
    const notifications = await waitFor(async () => {
      const items = await notificationItems(failing.data.orderId);
      return items.length > 0 ? items : undefined;
    }, { ...IN_TIME, description: 'the redriven message to be processed' });
    expect(notifications).toHaveLength(1);
    // The journal records a batch once its messages are deleted, just after the handler wrote.
    const redriven = await waitFor(async () => {
      const found = await eventSourceBatches({ functionLogicalId: CONSUMER, after: afterRedrive });
      return found.length > 0 ? found : undefined;
    }, { ...IN_TIME, description: 'the batch of the redriven message' });
    expect(redriven.flatMap((batch) => batch.itemIds)).toHaveLength(1);
    expect(redriven.every((batch) => batch.outcome === 'success')).toBe(true);
    expect((await queueDepths())[DLQ]).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it('records one notification when the same SNS envelope is delivered twice', async () => {
    const event = orderPlaced();
    const envelope = snsEnvelope(event);
    const before = await latestBatchSequence();
    const ids = [await sendMessage(QUEUE, envelope), await sendMessage(QUEUE, envelope)];

    // Both deliveries were processed successfully…
    await waitFor(async () => {
      const done = (await eventSourceBatches({ functionLogicalId: CONSUMER, after: before })).filter((batch) => batch.outcome === 'success');
      return ids.every((id) => done.some((batch) => batch.itemIds.includes(id)));
    }, { ...IN_TIME, description: 'both deliveries to be processed' });
    // …and the second changed nothing.
    expect(await notificationItems(event.data.orderId)).toHaveLength(1);
  });

  it('dead-letters a message that fails the event schema, after maxReceiveCount attempts', async () => {
    const marker = randomUUID();
    const invalid = { ...orderPlaced(), version: 2, data: { orderId: marker } };
    const topic = topicArn('OrderEventsTopic');
    const body = notificationEnvelope({
      messageId: randomUUID(),
      topicArn: topic,
      subscriptionArn: `${topic}:${randomUUID()}`,
      message: JSON.stringify(invalid),
      timestamp: new Date(),
      serviceUrl: 'https://sns.us-east-1.amazonaws.com',
    });
    const before = await latestBatchSequence();
    const messageId = await sendMessage(QUEUE, body);

    const dead = await waitFor(async () => (await dlqMessages(DLQ)).find((message) => message.messageId === messageId), {
      ...IN_TIME,
      description: `the invalid message in ${DLQ}`,
    });
    expect(dead.body).toContain(marker);
    const attempts = (await eventSourceBatches({ functionLogicalId: CONSUMER, after: before })).filter((batch) => batch.itemIds.includes(messageId));
    expect(attempts).toHaveLength(maxReceiveCount());
    expect(attempts.every((batch) => batch.failedItemIds.includes(messageId))).toBe(true);
    expect(await notificationItems(marker)).toEqual([]);
  });
});
