import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { MessageAttributes } from '../sqs/message.ts';
import type { Queue, ReceivedMessage } from '../sqs/queue.ts';
import { readBatchItemFailures } from '../lambda/batch-item-failures.ts';

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

/** What Lambda makes of a function's return value (see readBatchItemFailures), by message ID. */
export function interpretBatchResponse(
  response: unknown,
  messageIds: readonly string[],
  reportBatchItemFailures: boolean,
): InvocationOutcome {
  const read = readBatchItemFailures(response, messageIds, { reportBatchItemFailures, identifierName: 'message' });
  return read.kind === 'failed-items' ? { kind: 'partial', failedMessageIds: read.identifiers } : read;
}
