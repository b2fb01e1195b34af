import * as z from 'zod/mini';
import { ORDER_STATUSES } from '../orders/order.ts';

/**
 * The domain events, defined once. The stream publisher validates every event against these
 * before publishing; every consumer validates what it receives before acting on it.
 * docs/events.md describes the same contracts for humans.
 *
 * Versioning: `version` is part of the contract. A breaking change adds a new schema with
 * version 2 next to version 1 (both in the union) until no consumer needs version 1.
 */

const status = z.enum(ORDER_STATUSES);
const money = z.int().check(z.nonnegative());

const envelope = <Type extends string, Data extends z.ZodMiniType>(type: Type, data: Data) =>
  z.object({
    /** Derived from the stream record, so a redelivered change carries the same id. */
    eventId: z.string().check(z.minLength(1)),
    type: z.literal(type),
    version: z.literal(1),
    /** When the change was made (the order's `updatedAt`), not when it was published. */
    occurredAt: z.iso.datetime(),
    /** The correlation id of the request that caused the change. */
    correlationId: z.string().check(z.minLength(1)),
    data,
  });

const orderRef = {
  orderId: z.uuid(),
  customerId: z.string().check(z.minLength(1)),
  currency: z.string().check(z.length(3)),
  total: money,
};

export const orderPlacedV1 = envelope(
  'OrderPlaced',
  z.object({
    ...orderRef,
    status: z.literal('PENDING'),
    lines: z
      .array(
        z.object({
          productId: z.uuid(),
          productName: z.string(),
          unitPrice: money,
          quantity: z.int().check(z.positive()),
          lineTotal: money,
        }),
      )
      .check(z.minLength(1)),
  }),
);

export const orderStatusChangedV1 = envelope('OrderStatusChanged', z.object({ ...orderRef, from: status, to: status }));

export const orderCancelledV1 = envelope('OrderCancelled', z.object({ ...orderRef, from: status }));

export const orderEvent = z.discriminatedUnion('type', [orderPlacedV1, orderStatusChangedV1, orderCancelledV1]);

export type OrderPlaced = z.infer<typeof orderPlacedV1>;
export type OrderStatusChanged = z.infer<typeof orderStatusChangedV1>;
export type OrderCancelled = z.infer<typeof orderCancelledV1>;
export type OrderEvent = z.infer<typeof orderEvent>;
export type OrderEventType = OrderEvent['type'];

/**
 * SNS message attributes for routing: subscribers filter on these without parsing the body.
 * `status` is the order's status after the change.
 */
export function routingAttributesOf(event: OrderEvent): Record<'eventType' | 'eventVersion' | 'status', string> {
  const statusAfter = event.type === 'OrderPlaced' ? event.data.status : event.type === 'OrderCancelled' ? 'CANCELLED' : event.data.to;
  return { eventType: event.type, eventVersion: String(event.version), status: statusAfter };
}
