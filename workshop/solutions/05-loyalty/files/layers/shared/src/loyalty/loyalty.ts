import type { OrderEvent } from '../events/schemas.ts';

/** Points given for one confirmed order: one per whole unit of the order's currency. */
export interface LoyaltyAward {
  customerId: string;
  orderId: string;
  points: number;
  /** The event that earned the points, for tracing an award back to its order's change. */
  eventId: string;
  awardedAt: string;
}

/** A customer's balance and the awards that made it, newest first. */
export interface LoyaltyAccount {
  balance: number;
  awards: Array<Pick<LoyaltyAward, 'orderId' | 'points' | 'awardedAt'>>;
}

/** Money is in minor units (cents): 3697 is 36.97, which earns 36 points. */
export const pointsForTotal = (total: number): number => Math.floor(total / 100);

/**
 * The award an event earns, or none. Only a confirmed order earns points: a pending order may
 * still be rejected or declined, and a confirmed one has been paid for. Pure: the award depends
 * only on the event.
 */
export function awardFor(event: OrderEvent): LoyaltyAward | undefined {
  if (event.type !== 'OrderStatusChanged' || event.data.to !== 'CONFIRMED') return undefined;
  const points = pointsForTotal(event.data.total);
  if (points === 0) return undefined;
  return {
    customerId: event.data.customerId,
    orderId: event.data.orderId,
    points,
    eventId: event.eventId,
    awardedAt: event.occurredAt,
  };
}
