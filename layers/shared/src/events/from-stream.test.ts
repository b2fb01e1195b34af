import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { orderChangeOf, orderEventOf } from './from-stream.ts';
import { routingAttributesOf } from './schemas.ts';

const ORDER_ID = '9c1e0000-0000-4000-8000-000000000001';
const PRODUCT_ID = '5b0f0000-0000-4000-8000-000000000002';

const header = (status: string, updatedAt = '2026-11-22T10:00:00.000Z') => ({
  PK: `ORDER#${ORDER_ID}`,
  SK: 'ORDER',
  type: 'Order',
  orderId: ORDER_ID,
  customerId: 'alice-sub',
  status,
  currency: 'USD',
  total: 2900,
  lineCount: 1,
  correlationId: 'corr-42',
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt,
});

function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', newImage?: object, oldImage?: object): DynamoDBRecord {
  return {
    eventID: 'stream-event-1',
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      Keys: marshall({ PK: `ORDER#${ORDER_ID}`, SK: 'ORDER' }) as never,
      NewImage: newImage ? (marshall(newImage) as never) : undefined,
      OldImage: oldImage ? (marshall(oldImage) as never) : undefined,
      SequenceNumber: '100',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const line = { productId: PRODUCT_ID, productName: 'Kettle', unitPrice: 2900, quantity: 1, lineTotal: 2900 };

describe('order events from stream records', () => {
  it('maps a new order to OrderPlaced v1 with its lines, the stream event id and the request’s correlation id', () => {
    const change = orderChangeOf(record('INSERT', header('PENDING')));
    expect(change).toBeDefined();
    const event = orderEventOf(change!, [line]);
    expect(event).toEqual({
      eventId: 'stream-event-1',
      type: 'OrderPlaced',
      version: 1,
      occurredAt: '2026-11-22T10:00:00.000Z',
      correlationId: 'corr-42',
      data: { orderId: ORDER_ID, customerId: 'alice-sub', currency: 'USD', total: 2900, status: 'PENDING', lines: [line] },
    });
    expect(routingAttributesOf(event!)).toEqual({ eventType: 'OrderPlaced', eventVersion: '1', status: 'PENDING' });
  });

  it('maps a status change to OrderStatusChanged with from and to', () => {
    const change = orderChangeOf(record('MODIFY', header('CONFIRMED', '2026-11-22T10:01:00.000Z'), header('PENDING')));
    const event = orderEventOf(change!);
    expect(event).toMatchObject({
      type: 'OrderStatusChanged',
      occurredAt: '2026-11-22T10:01:00.000Z',
      data: { from: 'PENDING', to: 'CONFIRMED' },
    });
    expect(routingAttributesOf(event!).status).toBe('CONFIRMED');
  });

  it('maps a cancellation to OrderCancelled', () => {
    const event = orderEventOf(orderChangeOf(record('MODIFY', header('CANCELLED'), header('CONFIRMED')))!);
    expect(event).toMatchObject({ type: 'OrderCancelled', data: { from: 'CONFIRMED' } });
    expect(routingAttributesOf(event!)).toMatchObject({ eventType: 'OrderCancelled', status: 'CANCELLED' });
  });

  it('publishes nothing for a change that leaves the status alone', () => {
    const change = orderChangeOf(record('MODIFY', { ...header('PENDING'), note: 'x' }, header('PENDING')));
    expect(orderEventOf(change!)).toBeUndefined();
  });

  it.each([
    ['an order line', record('INSERT', { PK: `ORDER#${ORDER_ID}`, SK: 'ORDER#LINE#000', type: 'OrderLine', ...line })],
    ['a catalog item', record('MODIFY', { PK: 'PRODUCT#1', SK: 'PRODUCT', type: 'Product' }, { PK: 'PRODUCT#1', SK: 'PRODUCT', type: 'Product' })],
    ['a stock reservation, though it has a status', record('INSERT', { PK: `ORDER#${ORDER_ID}`, SK: 'RESERVATION', type: 'StockReservation', status: 'RESERVED' })],
    ['a removal', record('REMOVE', undefined, header('PENDING'))],
  ])('ignores %s', (_, streamRecord) => {
    expect(orderChangeOf(streamRecord)).toBeUndefined();
  });

  it('refuses to build an event that breaks its schema', () => {
    const change = orderChangeOf(record('INSERT', { ...header('PENDING'), total: -1 }));
    expect(() => orderEventOf(change!, [line])).toThrow();
  });
});
