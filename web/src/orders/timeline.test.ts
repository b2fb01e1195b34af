import { describe, expect, it } from 'vitest';
import { canCancel, deriveTimeline, observe, paymentOutcome, shouldPoll, type Notification, type Order } from './timeline.ts';

const order = (overrides: Partial<Order> = {}): Order => ({
  orderId: '11111111-1111-4111-8111-111111111111',
  customerId: 'u-1',
  status: 'PENDING',
  currency: 'USD',
  total: 2000,
  shippingAddress: { name: 'Alice', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
  paymentMethod: 'tok_visa',
  createdAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:00:00.000Z',
  lines: [{ productId: 'p', productName: 'Mug', unitPrice: 1000, quantity: 2, lineTotal: 2000 }],
  ...overrides,
});

const notification = (eventId: string, status: Notification['status'], occurredAt: string, message = `told ${status}`): Notification => ({
  orderId: order().orderId,
  customerId: 'u-1',
  eventId,
  eventType: status === 'PENDING' ? 'OrderPlaced' : 'OrderStatusChanged',
  status,
  message,
  occurredAt,
});

describe('order timeline', () => {
  it('lists every notification, oldest first, once per event', () => {
    const timeline = deriveTimeline(order({ status: 'CONFIRMED', updatedAt: '2026-11-30T10:00:02.000Z' }), [
      notification('e1', 'PENDING', '2026-11-30T10:00:00.000Z'),
      notification('e2', 'CONFIRMED', '2026-11-30T10:00:02.000Z'),
      notification('e2', 'CONFIRMED', '2026-11-30T10:00:02.000Z'),
    ]);
    expect(timeline.map((entry) => [entry.id, entry.status, entry.message])).toEqual([
      ['e1', 'PENDING', 'told PENDING'],
      ['e2', 'CONFIRMED', 'told CONFIRMED'],
    ]);
  });

  it('shows a status the order reached before its notification arrived', () => {
    const timeline = deriveTimeline(order({ status: 'CONFIRMED', updatedAt: '2026-11-30T10:00:02.000Z' }), [
      notification('e1', 'PENDING', '2026-11-30T10:00:00.000Z'),
    ]);
    expect(timeline.map((entry) => [entry.status, entry.at])).toEqual([
      ['PENDING', '2026-11-30T10:00:00.000Z'],
      ['CONFIRMED', '2026-11-30T10:00:02.000Z'],
    ]);
  });

  it('keeps a status seen while polling even when the order has moved on', () => {
    let observed = observe([], order());
    observed = observe(observed, order({ status: 'CONFIRMED', updatedAt: '2026-11-30T10:00:02.000Z' }));
    observed = observe(observed, order({ status: 'CONFIRMED', updatedAt: '2026-11-30T10:00:02.000Z' }));
    const shipped = order({ status: 'SHIPPED', updatedAt: '2026-11-30T10:05:00.000Z', trackingNumber: 'TRACK-1' });
    const timeline = deriveTimeline(shipped, [], observe(observed, shipped));
    expect(timeline.map((entry) => entry.status)).toEqual(['PENDING', 'CONFIRMED', 'SHIPPED']);
    expect(timeline.at(-1)?.trackingNumber).toBe('TRACK-1');
  });

  it('gives the reason on the status a failed order ended in', () => {
    const failed = order({ status: 'PAYMENT_FAILED', statusReason: 'PaymentDeclined', updatedAt: '2026-11-30T10:00:03.000Z' });
    const timeline = deriveTimeline(failed, [notification('e1', 'PENDING', '2026-11-30T10:00:00.000Z')]);
    expect(timeline.map((entry) => [entry.status, entry.reason])).toEqual([
      ['PENDING', undefined],
      ['PAYMENT_FAILED', 'The card was declined (PaymentDeclined)'],
    ]);
    const timedOut = order({ status: 'CANCELLED', statusReason: 'Not shipped in time', updatedAt: '2026-11-30T10:00:03.000Z' });
    expect(deriveTimeline(timedOut, []).at(-1)?.reason).toBe('Not shipped in time');
    expect(paymentOutcome('PAYMENT_FAILED')).toBe('Not charged.');
  });

  it('polls until the order is final and its notification has arrived', () => {
    expect(shouldPoll(order(), [])).toBe(true);
    expect(shouldPoll(order({ status: 'CONFIRMED' }), [notification('e2', 'CONFIRMED', '2026-11-30T10:00:02.000Z')])).toBe(true);
    expect(shouldPoll(order({ status: 'REJECTED' }), [])).toBe(true);
    expect(shouldPoll(order({ status: 'REJECTED' }), [notification('e3', 'REJECTED', '2026-11-30T10:00:02.000Z')])).toBe(false);
  });

  it('allows cancelling only before the order ships or ends', () => {
    expect((['PENDING', 'CONFIRMED', 'SHIPPED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED'] as const).filter(canCancel)).toEqual(['PENDING', 'CONFIRMED']);
  });
});
