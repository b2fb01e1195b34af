/**
 * The order page's timeline, derived from what the API exposes: the order (its status now,
 * with a reason or tracking number) and its notifications (what the customer was told, one per
 * event, oldest first), plus the statuses this page saw while polling. Pure, so each rule is a test.
 */
import type { components } from '../api/schema';

export type Order = components['schemas']['Order'];
export type Notification = components['schemas']['Notification'];
export type OrderStatus = Order['status'];

/** Statuses the saga does not leave. SHIPPED is final too: nothing follows it. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['SHIPPED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED'];
export const isFinal = (status: OrderStatus): boolean => FINAL_STATUSES.includes(status);

/** The order statuses a customer may still cancel from (orders/order.ts: PENDING and CONFIRMED). */
export const canCancel = (status: OrderStatus): boolean => status === 'PENDING' || status === 'CONFIRMED';

export const STATUS_LABELS: Record<OrderStatus, string> = {
  PENDING: 'Placed, awaiting stock and payment',
  CONFIRMED: 'Confirmed: paid, waiting to ship',
  SHIPPED: 'Shipped',
  REJECTED: 'Rejected',
  PAYMENT_FAILED: 'Payment failed',
  CANCELLED: 'Cancelled',
};

/**
 * The saga records why an order failed as the error's name (fulfilment/errors.ts) or a
 * sentence; the known names read better as sentences, with the name kept for reference.
 */
const REASONS: Record<string, string> = {
  OutOfStock: 'An item is out of stock',
  PaymentDeclined: 'The card was declined',
  PaymentUnavailable: 'The payment provider was unavailable, after retries',
};

export function describeReason(reason: string): string {
  const sentence = REASONS[reason];
  return sentence === undefined ? reason : `${sentence} (${reason})`;
}

/** A status seen by polling, with the order's `updatedAt` when it was seen. */
export interface ObservedStatus {
  status: OrderStatus;
  at: string;
}

export interface TimelineEntry {
  /** Unique within the timeline (a React key). */
  id: string;
  status: OrderStatus;
  at: string;
  label: string;
  /** What the customer was told (a notification's message). */
  message?: string;
  /** Why the order ended (statusReason), on the entry of the status it ended in. */
  reason?: string;
  trackingNumber?: string;
}

/** Records a polled order's status when it differs from the last one seen. */
export function observe(observed: readonly ObservedStatus[], order: Pick<Order, 'status' | 'updatedAt'>): ObservedStatus[] {
  const last = observed.at(-1);
  return last?.status === order.status ? [...observed] : [...observed, { status: order.status, at: order.updatedAt }];
}

/**
 * One entry per status change: every notification, and for each status the order reached
 * without (yet) a notification, an entry from the order itself (notifications arrive through a
 * queue, a moment after the change). Oldest first.
 */
export function deriveTimeline(order: Order, notifications: readonly Notification[], observed: readonly ObservedStatus[] = []): TimelineEntry[] {
  const seen = new Set<string>();
  const entries: TimelineEntry[] = [];
  for (const notification of notifications) {
    if (seen.has(notification.eventId)) continue; // delivered at least once: the same event may be listed twice
    seen.add(notification.eventId);
    entries.push({
      id: notification.eventId,
      status: notification.status,
      at: notification.occurredAt,
      label: STATUS_LABELS[notification.status],
      message: notification.message,
    });
  }
  const reached: ObservedStatus[] = [{ status: 'PENDING', at: order.createdAt }, ...observed, { status: order.status, at: order.updatedAt }];
  for (const { status, at } of reached) {
    if (entries.some((entry) => entry.status === status)) continue;
    entries.push({ id: `status-${status}`, status, at, label: STATUS_LABELS[status] });
  }
  entries.sort((a, b) => a.at.localeCompare(b.at));
  return entries.map((entry) => {
    if (entry.status !== order.status) return entry;
    return {
      ...entry,
      ...(order.statusReason === undefined ? {} : { reason: describeReason(order.statusReason) }),
      ...(order.trackingNumber === undefined ? {} : { trackingNumber: order.trackingNumber }),
    };
  });
}

/** What the customer was charged, in words, from how the order ended. */
export function paymentOutcome(status: OrderStatus): string {
  switch (status) {
    case 'PENDING':
      return 'Not charged yet: payment is taken once the stock is reserved.';
    case 'CONFIRMED':
    case 'SHIPPED':
      return 'Charged.';
    case 'REJECTED':
    case 'PAYMENT_FAILED':
      return 'Not charged.';
    case 'CANCELLED':
      return 'Any payment taken is refunded.';
  }
}

/**
 * Whether the page should keep polling: until the order's status is final and its notification
 * has arrived, or, for a CONFIRMED order, while it waits for an admin to ship it.
 */
export function shouldPoll(order: Order, notifications: readonly Notification[]): boolean {
  if (!isFinal(order.status)) return true;
  return !notifications.some((notification) => notification.status === order.status);
}
