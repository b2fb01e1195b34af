import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { QueueSummary } from '../cloud/queue-summary.ts';

/**
 * Looking into the running local cloud's queues through the SQS API only (the same calls work
 * against AWS): depths from GetQueueAttributes, dead letters by ReceiveMessage with a
 * visibility timeout of 0, redrive by StartMessageMoveTask. Used by `npm run queues` and by the
 * integration tests' helpers.
 */

export interface QueueDepthRow {
  logicalId: string;
  name: string;
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface PeekedMessage {
  messageId: string;
  /** ApproximateReceiveCount, this look included (see `peekMessages`). */
  receiveCount: number;
  /** Where a dead letter came from (DeadLetterQueueSourceArn), if SQS moved it here. */
  sourceQueueArn: string | undefined;
  body: string;
}

export interface RedriveResult {
  moved: number;
  /** Left behind: in flight in the DLQ at the time, or without a source queue. */
  remaining: number;
  /** Logical ids of the queues the messages went back to. */
  destinations: string[];
}

export class QueueInspectionError extends Error {
  override name = 'QueueInspectionError';
}

export async function queueDepth(client: SQSClient, queue: Pick<QueueSummary, 'logicalId' | 'name' | 'url'>): Promise<QueueDepthRow> {
  const { Attributes: attributes = {} } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return {
    logicalId: queue.logicalId,
    name: queue.name,
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

export function queueDepths(client: SQSClient, queues: QueueSummary[]): Promise<QueueDepthRow[]> {
  return Promise.all(queues.map((queue) => queueDepth(client, queue)));
}

/**
 * Up to 10 visible messages, oldest first, left visible. Like the console's "Poll for messages",
 * this is a receive: each look adds one to a message's receive count. In a dead-letter queue
 * that changes nothing else (it has no redrive policy of its own); on a queue a consumer polls,
 * it would compete with the consumer, so use it on dead-letter queues.
 */
export async function peekMessages(client: SQSClient, queue: Pick<QueueSummary, 'url'>): Promise<PeekedMessage[]> {
  const { Messages: messages = [] } = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return messages.map((message) => ({
    messageId: message.MessageId ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    sourceQueueArn: message.Attributes?.DeadLetterQueueSourceArn,
    body: message.Body ?? '',
  }));
}

/**
 * Moves a dead-letter queue's visible messages back to the queues they came from
 * (StartMessageMoveTask without a destination). Only a queue that is some queue's
 * RedrivePolicy target can be redriven, as in SQS.
 */
export async function redriveDeadLetterQueue(client: SQSClient, deadLetterQueue: QueueSummary, queues: QueueSummary[]): Promise<RedriveResult> {
  const sources = deadLetterQueue.deadLetterFor.filter((source) => source.kind === 'queue').map((source) => source.logicalId);
  if (sources.length === 0) {
    const roles = deadLetterQueue.deadLetterFor.map((source) =>
      source.kind === 'subscription'
        ? `the delivery dead-letter queue of ${source.logicalId} (SNS)`
        : `the on-failure destination of ${source.logicalId} (Lambda's records of stream batches it gave up on; re-read the stream ranges they name)`,
    );
    const what = roles.length > 0 ? `it is ${roles.join(' and ')}` : 'it is not the dead-letter queue of any queue';
    throw new QueueInspectionError(`${deadLetterQueue.logicalId} cannot be redriven: ${what}. Only a queue's RedrivePolicy target can be.`);
  }
  const before = await queueDepth(client, deadLetterQueue);
  await client.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetterQueue.arn }));
  // The local move is done when the call returns; in AWS it runs on, see ListMessageMoveTasks.
  const after = await queueDepth(client, deadLetterQueue);
  const destinations = queues.filter((queue) => sources.includes(queue.logicalId)).map((queue) => queue.logicalId);
  return { moved: Math.max(0, before.visible - after.visible), remaining: after.visible + after.inFlight, destinations };
}

/** A queue by logical id or queue name, case-insensitively. */
export function findQueue(queues: QueueSummary[], name: string): QueueSummary | undefined {
  const wanted = name.toLowerCase();
  return queues.find((queue) => queue.logicalId.toLowerCase() === wanted || queue.name.toLowerCase() === wanted);
}

/** One line of a body: the SNS envelope's `Message` when there is one, whitespace collapsed. */
export function bodyPreview(body: string, length = 100): string {
  let text = body;
  try {
    const parsed = JSON.parse(body) as { Type?: unknown; Message?: unknown };
    if (parsed.Type === 'Notification' && typeof parsed.Message === 'string') text = parsed.Message;
  } catch {
    // Not JSON: show it as it is.
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}
