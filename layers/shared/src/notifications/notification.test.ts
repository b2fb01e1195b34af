import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../events/schemas.ts';
import { notificationFor } from './notification.ts';

const common = { eventId: 'e-1', version: 1 as const, occurredAt: '2026-11-22T10:00:00.000Z', correlationId: 'c-1' };
const ref = { orderId: '9c1e0000-0000-4000-8000-000000000000', customerId: 'alice', currency: 'USD', total: 3697 };

describe('notificationFor', () => {
  it('tells the customer their order was received, with its total', () => {
    const event: OrderEvent = {
      ...common,
      type: 'OrderPlaced',
      data: { ...ref, status: 'PENDING', lines: [{ productId: ref.orderId, productName: 'x', unitPrice: 3697, quantity: 1, lineTotal: 3697 }] },
    };
    expect(notificationFor(event)).toEqual({
      orderId: ref.orderId,
      customerId: 'alice',
      eventId: 'e-1',
      eventType: 'OrderPlaced',
      status: 'PENDING',
      message: 'We received your order of $36.97.',
      occurredAt: common.occurredAt,
    });
  });

  it.each([
    ['CONFIRMED', /confirmed/],
    ['SHIPPED', /shipped/],
    ['REJECTED', /out of stock/],
    ['PAYMENT_FAILED', /declined/],
  ] as const)('tells the customer about %s', (to, message) => {
    const event: OrderEvent = { ...common, type: 'OrderStatusChanged', data: { ...ref, from: 'PENDING', to } };
    expect(notificationFor(event)?.message).toMatch(message);
  });

  it('tells the customer about a cancellation', () => {
    const event: OrderEvent = { ...common, type: 'OrderCancelled', data: { ...ref, from: 'PENDING' } };
    expect(notificationFor(event)).toMatchObject({ status: 'CANCELLED', message: 'Your order was cancelled.' });
  });

  it('stays quiet about changes that are not news to the customer', () => {
    const event: OrderEvent = { ...common, type: 'OrderStatusChanged', data: { ...ref, from: 'CONFIRMED', to: 'PENDING' } };
    expect(notificationFor(event)).toBeUndefined();
  });
});

describe('notificationFor: the whole notification of a status change', () => {
  it('carries the new status, the event it answers and when it happened', () => {
    const event: OrderEvent = { ...common, type: 'OrderStatusChanged', data: { ...ref, from: 'CONFIRMED', to: 'SHIPPED' } };
    expect(notificationFor(event)).toEqual({
      orderId: ref.orderId,
      customerId: 'alice',
      eventId: 'e-1',
      eventType: 'OrderStatusChanged',
      status: 'SHIPPED',
      message: 'Your order has shipped.',
      occurredAt: common.occurredAt,
    });
  });

  it('writes the total in the order’s currency', () => {
    const event: OrderEvent = {
      ...common,
      type: 'OrderPlaced',
      data: { ...ref, currency: 'EUR', total: 1050, status: 'PENDING', lines: [{ productId: ref.orderId, productName: 'x', unitPrice: 1050, quantity: 1, lineTotal: 1050 }] },
    };
    expect(notificationFor(event)?.message).toBe('We received your order of €10.50.');
  });
});
