import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { MessageAttributes } from './message.ts';
import type { Queue, ReceivedMessage } from './queue.ts';

/**
 * The two halves of Lambda's SQS integration that are pure data: the event a function
 * receives, and how Lambda reads the function's answer when ReportBatchItemFailures is on.
 */

export function toSqsEvent(messages: ReceivedMessage[], queue: Pick<Queue, 'arn' | 'region'>): SQSEvent {
  return { Records: messages.map((message) => toSqsRecord(message, queue)) };
}

export function toSqsRecord(message: ReceivedMessage, queue: Pick<Queue, 'arn' | 'region'>): SQSRecord {
  const system = message.attributes;
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: system.ApproximateReceiveCount,
      SentTimestamp: system.SentTimestamp,
      SenderId: system.SenderId,
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp,
      ...(system.AWSTraceHeader && { AWSTraceHeader: system.AWSTraceHeader }),
      ...(system.DeadLetterQueueSourceArn && { DeadLetterQueueSourceArn: system.DeadLetterQueueSourceArn }),
    },
    messageAttributes: toLambdaMessageAttributes(message.messageAttributes),
    ...(message.md5OfMessageAttributes && { md5OfMessageAttributes: message.md5OfMessageAttributes }),
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: queue.region,
  };
}

/** Lambda's camelCase shape, with the always-empty list fields real events carry. */
function toLambdaMessageAttributes(attributes: MessageAttributes): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
        ...(value.BinaryValue !== undefined && {
          binaryValue: Buffer.from(value.BinaryValue).toString('base64'),
        }),
        stringListValues: [],
        binaryListValues: [],
        dataType: value.DataType,
      },
    ]),
  );
}

export type InvocationOutcome =
  | { kind: 'success' }
  | { kind: 'partial'; failedMessageIds: string[] }
  | { kind: 'failure'; reason: string };

/**
 * What Lambda makes of a function's return value. Without ReportBatchItemFailures any
 * return is success. With it, per the Lambda developer guide: a missing/null response or an
 * empty/null `batchItemFailures` list is complete success; a response that is not a
 * batch-response object, or an item whose `itemIdentifier` is missing, empty, not a string or
 * not a message ID of this batch, makes the whole batch fail.
 */
export function interpretBatchResponse(
  response: unknown,
  messageIds: readonly string[],
  reportBatchItemFailures: boolean,
): InvocationOutcome {
  if (!reportBatchItemFailures || response === undefined || response === null) {
    return { kind: 'success' };
  }
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { kind: 'failure', reason: 'the response is not a batch response object' };
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) {
    return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  }
  const known = new Set(messageIds);
  const failed = new Set<string>();
  for (const item of failures as unknown[]) {
    const identifier =
      typeof item === 'object' && item !== null
        ? (item as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (typeof identifier !== 'string' || identifier === '') {
      return { kind: 'failure', reason: 'a batch item failure has no itemIdentifier' };
    }
    if (!known.has(identifier)) {
      return { kind: 'failure', reason: `itemIdentifier ${identifier} is not a message of this batch` };
    }
    failed.add(identifier);
  }
  return failed.size === 0 ? { kind: 'success' } : { kind: 'partial', failedMessageIds: [...failed] };
}
