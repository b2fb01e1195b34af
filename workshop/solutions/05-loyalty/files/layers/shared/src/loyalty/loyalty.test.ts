import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../events/schemas.ts';
import { awardFor, pointsForTotal } from './loyalty.ts';

const common = { eventId: 'e-1', version: 1 as const, occurredAt: '2026-11-22T10:00:00.000Z', correlationId: 'c-1' };
const ref = { orderId: '9c1e0000-0000-4000-8000-000000000000', customerId: 'alice', currency: 'USD', total: 3697 };
const changed = (from: 'PENDING' | 'CONFIRMED', to: 'CONFIRMED' | 'SHIPPED' | 'REJECTED' | 'CANCELLED' | 'PAYMENT_FAILED'): OrderEvent => ({
  ...common,
  type: 'OrderStatusChanged',
  data: { ...ref, from, to },
});

describe('pointsForTotal', () => {
  it('gives one point per whole unit of the currency, rounding down', () => {
    expect(pointsForTotal(3697)).toBe(36);
    expect(pointsForTotal(100)).toBe(1);
    expect(pointsForTotal(99)).toBe(0);
  });
});

describe('awardFor', () => {
  it('awards a confirmed order its points, keyed by the order and traced to the event', () => {
    expect(awardFor(changed('PENDING', 'CONFIRMED'))).toEqual({
      customerId: 'alice',
      orderId: ref.orderId,
      points: 36,
      eventId: 'e-1',
      awardedAt: common.occurredAt,
    });
  });

  it.each(['SHIPPED', 'REJECTED', 'PAYMENT_FAILED'] as const)('awards nothing for a change to %s', (to) => {
    expect(awardFor(changed('PENDING', to))).toBeUndefined();
  });

  it('awards nothing for a placed or a cancelled order', () => {
    const lines = [{ productId: ref.orderId, productName: 'x', unitPrice: 3697, quantity: 1, lineTotal: 3697 }];
    expect(awardFor({ ...common, type: 'OrderPlaced', data: { ...ref, status: 'PENDING', lines } })).toBeUndefined();
    expect(awardFor({ ...common, type: 'OrderCancelled', data: { ...ref, from: 'CONFIRMED' } })).toBeUndefined();
  });

  it('awards nothing for an order worth less than one point', () => {
    expect(awardFor({ ...common, type: 'OrderStatusChanged', data: { ...ref, total: 99, from: 'PENDING', to: 'CONFIRMED' } })).toBeUndefined();
  });
});
