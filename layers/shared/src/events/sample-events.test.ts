import { readdirSync, readFileSync } from 'node:fs';
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { orderChangeOf, orderEventOf } from './from-stream.ts';
import { orderEvent, routingAttributesOf, type OrderEvent } from './schemas.ts';
import { orderEventFromSqsRecord } from './sqs-message.ts';

// The sample events in events/ (for `sam local invoke -e` and the template suite's Lambda-layout
// run) go through the same code the functions run, so a schema change that leaves a sample
// behind fails here. Every file is picked up by what it contains, so new samples are checked too.

const EVENTS_DIR = new URL('../../../../events/', import.meta.url);
const samples = readdirSync(EVENTS_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, content: JSON.parse(readFileSync(new URL(name, EVENTS_DIR), 'utf8')) as Record<string, unknown> }));

const recordsOf = (content: Record<string, unknown>, eventSource: string) =>
  Array.isArray(content.Records) ? (content.Records as Array<{ eventSource?: string }>).filter((record) => record.eventSource === eventSource) : [];

const sqsSamples = samples.filter(({ content }) => recordsOf(content, 'aws:sqs').length > 0);
const streamSamples = samples.filter(({ content }) => recordsOf(content, 'aws:dynamodb').length > 0);

interface SnsNotification {
  Type: string;
  TopicArn: string;
  Message: string;
  MessageAttributes: Record<string, { Type: string; Value: string }>;
}

/** The attributes SNS puts in the envelope for an event, from what the publisher sends. */
const envelopeAttributesOf = (event: OrderEvent) =>
  Object.fromEntries(Object.entries(routingAttributesOf(event)).map(([name, value]) => [name, { Type: 'String', Value: value }]));

const snsNotification = samples.find(({ name }) => name === 'sns-order-placed.json')?.content as unknown as SnsNotification | undefined;

describe('sample events', () => {
  it('include queue and stream samples (the lists below are not empty by accident)', () => {
    expect(sqsSamples.map(({ name }) => name)).toEqual(['notify-customer.json', 'start-fulfilment.json']);
    expect(streamSamples.map(({ name }) => name)).toEqual(['publish-order-events-status-changed.json', 'publish-order-events.json']);
    expect(snsNotification).toBeDefined();
  });

  it('sns-order-placed.json is an SNS notification of a valid event, with the attributes the publisher sets', () => {
    expect(snsNotification).toMatchObject({ Type: 'Notification', SignatureVersion: '1' });
    const event = orderEvent.parse(JSON.parse(snsNotification!.Message));
    expect(snsNotification!.MessageAttributes).toEqual(envelopeAttributesOf(event));
  });

  describe.each(sqsSamples)('$name', ({ content }) => {
    const records = recordsOf(content, 'aws:sqs') as unknown as SQSRecord[];

    it.each(records.map((record) => [record.messageId, record] as const))('message %s carries a valid order event', (_, record) => {
      const event = orderEventFromSqsRecord(record);
      const envelope = JSON.parse(record.body) as SnsNotification;
      // Raw delivery is off: the body is the SNS envelope, with the routing attributes in it.
      expect(envelope.Type).toBe('Notification');
      expect(envelope.MessageAttributes).toEqual(envelopeAttributesOf(event));
    });

    it('delivers the notification in sns-order-placed.json', () => {
      for (const record of records) expect(JSON.parse(record.body)).toEqual(snsNotification);
    });
  });

  describe.each(streamSamples)('$name', ({ content }) => {
    const records = recordsOf(content, 'aws:dynamodb') as unknown as DynamoDBRecord[];

    it.each(records.map((record) => [record.eventID, record] as const))('record %s is an order change that maps to a valid event', (_, record) => {
      expect(record.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
      const change = orderChangeOf(record);
      expect(change, 'not an order header change').toBeDefined();
      if (change!.kind === 'modified') {
        expect(orderEventOf(change!), 'maps to no event').toBeDefined();
        return;
      }
      // The stream record has the header only; the publisher reads the lines. With the lines the
      // SNS sample carries, the new order becomes exactly the event in that sample.
      const placed = orderEvent.parse(JSON.parse(snsNotification!.Message));
      expect(placed.type).toBe('OrderPlaced');
      expect(orderEventOf(change!, placed.type === 'OrderPlaced' ? placed.data.lines : [])).toEqual(placed);
    });
  });

  it('the status-change sample is a confirmation, which customers are notified about', () => {
    const sample = streamSamples.find(({ name }) => name === 'publish-order-events-status-changed.json');
    const [record] = recordsOf(sample!.content, 'aws:dynamodb') as unknown as DynamoDBRecord[];
    const event = orderEventOf(orderChangeOf(record!)!);
    expect(event).toMatchObject({ type: 'OrderStatusChanged', data: { from: 'PENDING', to: 'CONFIRMED' } });
  });
});
