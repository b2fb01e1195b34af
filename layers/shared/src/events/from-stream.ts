import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { OrderLine } from '../orders/order.ts';
import { ENTITY } from '../platform/table/keys.ts';
import { orderEvent, type OrderEvent } from './schemas.ts';

type Image = Record<string, unknown>;

const imageOf = (image: Record<string, unknown> | undefined): Image | undefined =>
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

/** The change a stream record describes, if it is a change to an order header. */
export interface OrderChange {
  eventId: string;
  kind: 'created' | 'modified';
  oldImage: Image | undefined;
  newImage: Image;
}

export function orderChangeOf(record: DynamoDBRecord): OrderChange | undefined {
  const newImage = imageOf(record.dynamodb?.NewImage as Record<string, unknown> | undefined);
  if (!newImage || newImage.type !== ENTITY.order || record.eventID === undefined) return undefined;
  if (record.eventName === 'INSERT') return { eventId: record.eventID, kind: 'created', oldImage: undefined, newImage };
  if (record.eventName === 'MODIFY') {
    return { eventId: record.eventID, kind: 'modified', oldImage: imageOf(record.dynamodb?.OldImage as Record<string, unknown>), newImage };
  }
  return undefined;
}

/**
 * Maps an order change to its domain event, or to nothing when the change is not one other
 * parts of the system care about (say, a bookkeeping attribute changed but not the status).
 * Pure: an OrderPlaced needs the order's lines, which the caller reads and passes in.
 * The result is validated against the published schema, so a malformed event is never sent.
 */
export function orderEventOf(change: OrderChange, lines: readonly OrderLine[] = []): OrderEvent | undefined {
  const order = change.newImage;
  const common = {
    eventId: change.eventId,
    version: 1 as const,
    occurredAt: order.updatedAt,
    correlationId: order.correlationId ?? 'unknown',
  };
  const ref = { orderId: order.orderId, customerId: order.customerId, currency: order.currency, total: order.total };

  if (change.kind === 'created') {
    return orderEvent.parse({ ...common, type: 'OrderPlaced', data: { ...ref, status: order.status, lines } });
  }
  const from = change.oldImage?.status;
  const to = order.status;
  if (from === undefined || from === to) return undefined;
  if (to === 'CANCELLED') return orderEvent.parse({ ...common, type: 'OrderCancelled', data: { ...ref, from } });
  return orderEvent.parse({ ...common, type: 'OrderStatusChanged', data: { ...ref, from, to } });
}
