import { createHash } from 'node:crypto';
import type { SnsMessageAttributes } from './topic-validation.ts';

/**
 * The body SNS puts in an SQS message when raw message delivery is off.
 *
 * Field set and order follow the SNS developer guide ("HTTP/HTTPS notification JSON format"
 * and the SQS fan-out example); the layout (two-space indent, `"Key" : value`, attributes one
 * compact object per line) is the one real deliveries have, so even code that string-matches
 * bodies behaves the same locally.
 */

export interface NotificationInput {
  messageId: string;
  topicArn: string;
  subscriptionArn: string;
  message: string;
  subject?: string;
  timestamp: Date;
  messageAttributes?: SnsMessageAttributes;
  /** Base of SigningCertURL/UnsubscribeURL, e.g. `https://sns.us-east-1.amazonaws.com`. */
  serviceUrl: string;
}

export function notificationEnvelope(input: NotificationInput): string {
  const timestamp = input.timestamp.toISOString();
  const fields: Array<[string, string]> = [
    ['Type', 'Notification'],
    ['MessageId', input.messageId],
    ['TopicArn', input.topicArn],
    ...(input.subject !== undefined ? [['Subject', input.subject] as [string, string]] : []),
    ['Message', input.message],
    ['Timestamp', timestamp],
    ['SignatureVersion', '1'],
    ['Signature', signature(input, timestamp)],
    ['SigningCertURL', `${input.serviceUrl}/SimpleNotificationService-local.pem`],
    [
      'UnsubscribeURL',
      `${input.serviceUrl}/?Action=Unsubscribe&SubscriptionArn=${input.subscriptionArn}`,
    ],
  ];
  const lines = fields.map(([key, value]) => `  ${JSON.stringify(key)} : ${JSON.stringify(value)}`);
  const attributes = Object.entries(input.messageAttributes ?? {});
  if (attributes.length > 0) {
    const entries = attributes.map(
      ([name, value]) =>
        `    ${JSON.stringify(name)} : ${JSON.stringify({ Type: value.DataType, Value: attributeValue(value) })}`,
    );
    lines.push(`  "MessageAttributes" : {\n${entries.join(',\n')}\n  }`);
  }
  return `{\n${lines.join(',\n')}\n}`;
}

function attributeValue(value: SnsMessageAttributes[string]): string {
  return value.BinaryValue !== undefined
    ? Buffer.from(value.BinaryValue).toString('base64')
    : (value.StringValue ?? '');
}

/**
 * Not a real signature (that needs Amazon's private key): a base64 digest of the string SNS
 * signs, so the field has a realistic shape and changes with the content. Code that verifies
 * signatures must be switched off locally.
 */
function signature(input: NotificationInput, timestamp: string): string {
  const parts = [
    'Message', input.message,
    'MessageId', input.messageId,
    ...(input.subject !== undefined ? ['Subject', input.subject] : []),
    'Timestamp', timestamp,
    'TopicArn', input.topicArn,
    'Type', 'Notification',
  ];
  return createHash('sha256').update(`${parts.join('\n')}\n`).digest('base64');
}
