import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The stream publisher against a fake repository and a fake topic: one event per change that
// matters, the lines read only for a new order, nothing published for the rest.
const orders = { getLines: vi.fn() };
vi.mock('../repositories.ts', () => ({ orderRepository: () => orders }));
const topic = { publishOrderEvent: vi.fn() };
vi.mock('./sns-publisher.ts', () => topic);
const { logger, metrics } = await import('../platform/observability.ts');
const { publishChange } = await import('./publish-change.ts');

const ORDER_ID = '9c1e0000-0000-4000-8000-000000000001';
const line = { productId: '5b0f0000-0000-4000-8000-000000000002', productName: 'Kettle', unitPrice: 2900, quantity: 1, lineTotal: 2900 };
const header = (status: string) => ({
  PK: `ORDER#${ORDER_ID}`,
  SK: 'ORDER',
  type: 'Order',
  orderId: ORDER_ID,
  customerId: 'alice-sub',
  status,
  currency: 'USD',
  total: 2900,
  correlationId: 'corr-42',
  updatedAt: '2026-11-22T10:00:00.000Z',
});
const record = (eventName: 'INSERT' | 'MODIFY', newImage: object, oldImage?: object): DynamoDBRecord => ({
  eventID: 'stream-event-1',
  eventName,
  dynamodb: {
    NewImage: marshall(newImage) as never,
    OldImage: oldImage ? (marshall(oldImage) as never) : undefined,
  },
});
const addMetric = vi.spyOn(metrics, 'addMetric');

beforeEach(() => {
  vi.clearAllMocks();
  topic.publishOrderEvent.mockResolvedValue(undefined);
});

describe('publishChange', () => {
  it('publishes a new order as OrderPlaced with the lines read from the table, and counts it', async () => {
    orders.getLines.mockResolvedValue([line]);
    await publishChange(record('INSERT', header('PENDING')));
    expect(orders.getLines).toHaveBeenCalledWith(ORDER_ID);
    expect(topic.publishOrderEvent).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'OrderPlaced', eventId: 'stream-event-1', data: expect.objectContaining({ lines: [line] }) }),
    );
    expect(addMetric).toHaveBeenCalledWith('OrderPlacedPublished', 'Count', 1);
  });

  it('publishes a status change without reading any lines', async () => {
    await publishChange(record('MODIFY', header('CONFIRMED'), header('PENDING')));
    expect(orders.getLines).not.toHaveBeenCalled();
    expect(topic.publishOrderEvent).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'OrderStatusChanged', data: expect.objectContaining({ from: 'PENDING', to: 'CONFIRMED' }) }),
    );
    expect(addMetric).toHaveBeenCalledWith('OrderStatusChangedPublished', 'Count', 1);
  });

  it('logs each event it published, with the ids to find it by', async () => {
    const info = vi.spyOn(logger, 'info');
    await publishChange(record('MODIFY', header('CONFIRMED'), header('PENDING')));
    expect(info).toHaveBeenCalledWith('Published order event', {
      eventId: 'stream-event-1',
      eventType: 'OrderStatusChanged',
      orderId: ORDER_ID,
      correlationId: 'corr-42',
    });
  });

  it('publishes nothing for a change that is not an order, or leaves the status as it was', async () => {
    await publishChange(record('INSERT', { ...header('PENDING'), type: 'OrderLine' }));
    await publishChange(record('MODIFY', header('PENDING'), header('PENDING')));
    expect(orders.getLines).not.toHaveBeenCalled();
    expect(topic.publishOrderEvent).not.toHaveBeenCalled();
    expect(addMetric).not.toHaveBeenCalled();
  });

  it('lets a failure to publish through, so the stream batch is retried', async () => {
    topic.publishOrderEvent.mockRejectedValue(new Error('throttled'));
    await expect(publishChange(record('MODIFY', header('CONFIRMED'), header('PENDING')))).rejects.toThrow('throttled');
    expect(addMetric).not.toHaveBeenCalled();
  });
});
