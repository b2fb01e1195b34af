import type { SQSRecord } from 'aws-lambda';
import { ValidationError } from '../platform/errors.ts';
import { parseWith } from '../platform/validation.ts';
import { orderEvent, type OrderEvent } from './schemas.ts';

/**
 * Reads the order event out of an SQS message. Subscriptions deliver the SNS envelope (raw
 * delivery off), whose `Message` is the event; raw delivery would put the event in the body
 * itself, and both are accepted. The event is validated against its schema: a malformed
 * message throws, is retried, and ends in the queue's DLQ for inspection.
 */
export function orderEventFromSqsRecord(record: SQSRecord): OrderEvent {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw ValidationError.forField('body', 'is not JSON');
  }
  const isSnsEnvelope =
    typeof body === 'object' && body !== null && (body as { Type?: unknown }).Type === 'Notification';
  let payload: unknown = body;
  if (isSnsEnvelope) {
    try {
      payload = JSON.parse(String((body as { Message?: unknown }).Message));
    } catch {
      throw ValidationError.forField('Message', 'is not JSON');
    }
  }
  return parseWith(orderEvent, payload);
}
