import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../platform/errors.ts';
import { orderEventFromSqsRecord } from './sqs-message.ts';

const event = {
  eventId: 'e-1',
  type: 'OrderCancelled',
  version: 1,
  occurredAt: '2026-11-22T10:00:00.000Z',
  correlationId: 'c-1',
  data: { orderId: '9c1e0000-0000-4000-8000-000000000001', customerId: 'alice', currency: 'USD', total: 100, from: 'PENDING' },
};

const sqsRecord = (body: string): SQSRecord =>
  ({ messageId: 'm-1', receiptHandle: 'r', body, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'us-east-1' }) as SQSRecord;

describe('orderEventFromSqsRecord', () => {
  it('reads the event out of the SNS envelope', () => {
    const envelope = { Type: 'Notification', MessageId: 'x', TopicArn: 'arn:topic', Message: JSON.stringify(event) };
    expect(orderEventFromSqsRecord(sqsRecord(JSON.stringify(envelope)))).toEqual(event);
  });

  it('reads a raw-delivered event', () => {
    expect(orderEventFromSqsRecord(sqsRecord(JSON.stringify(event)))).toEqual(event);
  });

  it.each([
    ['a body that is not JSON', 'not json'],
    ['an envelope whose message is not JSON', JSON.stringify({ Type: 'Notification', Message: '{' })],
    ['an unknown event type', JSON.stringify({ ...event, type: 'OrderTeleported' })],
    ['an unknown version', JSON.stringify({ ...event, version: 2 })],
    ['a missing field', JSON.stringify({ ...event, data: { ...event.data, orderId: undefined } })],
  ])('refuses %s, so the message is retried and lands in the DLQ', (_, body) => {
    expect(() => orderEventFromSqsRecord(sqsRecord(body))).toThrow(ValidationError);
  });
});
