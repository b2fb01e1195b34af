import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { inject } from 'vitest';
import {
  findQueue,
  peekMessages,
  type PeekedMessage,
  queueDepths as depthsOf,
  type QueueDepthRow,
  redriveDeadLetterQueue,
  type RedriveResult,
} from '#local/sqs/queue-inspection.ts';
import type { QueueSummary } from '#local/cloud/queue-summary.ts';
import { targetCredentials } from './target.ts';

/**
 * The local cloud's queues and topics from a test: SDK clients on the local SQS and SNS
 * endpoints, and the same inspection `npm run queues` does.
 */

let sqs: SQSClient | undefined;
let sns: SNSClient | undefined;

export function sqsClient(): SQSClient {
  sqs ??= new SQSClient({ endpoint: inject('sqsEndpoint'), region: inject('region'), ...targetCredentials() });
  return sqs;
}

export function snsClient(): SNSClient {
  sns ??= new SNSClient({ endpoint: inject('snsEndpoint'), region: inject('region'), ...targetCredentials() });
  return sns;
}

function queues(): QueueSummary[] {
  return Object.values(inject('queues'));
}

/** A queue of the template by logical id (or queue name). */
export function queueOf(name: string): QueueSummary {
  const queue = findQueue(queues(), name);
  if (queue === undefined) throw new Error(`No queue ${name} in the template (queues: ${queues().map((q) => q.logicalId).join(', ')})`);
  return queue;
}

export const queueUrl = (name: string): string => queueOf(name).url;

export const topicArn = (logicalId: string): string => {
  const arn = inject('topicArns')[logicalId];
  if (arn === undefined) throw new Error(`No topic ${logicalId} in the template`);
  return arn;
};

/** Visible / in flight / delayed, by queue logical id. */
export async function queueDepths(): Promise<Record<string, QueueDepthRow>> {
  const rows = await depthsOf(sqsClient(), queues());
  return Object.fromEntries(rows.map((row) => [row.logicalId, row]));
}

/** Up to 10 messages of a dead-letter queue, left in place (each look counts as a receive). */
export function dlqMessages(name: string): Promise<PeekedMessage[]> {
  return peekMessages(sqsClient(), queueOf(name));
}

/** StartMessageMoveTask: the DLQ's messages back to their source queue. */
export function redrive(dlqName: string): Promise<RedriveResult> {
  return redriveDeadLetterQueue(sqsClient(), queueOf(dlqName), queues());
}

/** SendMessage to a queue of the template; returns the message id. */
export async function sendMessage(queueName: string, body: string): Promise<string> {
  const { MessageId } = await sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl(queueName), MessageBody: body }));
  return MessageId ?? '';
}
