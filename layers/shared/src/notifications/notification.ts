import type { OrderEvent } from '../events/schemas.ts';
import type { OrderStatus } from '../orders/order.ts';

/** What a customer is told about their order, one per event that concerns them. */
export interface Notification {
  orderId: string;
  customerId: string;
  eventId: string;
  eventType: OrderEvent['type'];
  status: OrderStatus;
  message: string;
  occurredAt: string;
}

const formatMoney = (minorUnits: number, currency: string): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minorUnits / 100);

const STATUS_MESSAGES: Partial<Record<OrderStatus, string>> = {
  CONFIRMED: 'Your order is confirmed and will ship soon.',
  SHIPPED: 'Your order has shipped.',
  REJECTED: 'We could not fulfil your order: an item is out of stock. You have not been charged.',
  PAYMENT_FAILED: 'Your payment was declined, so your order was not placed.',
};

/**
 * The notification for an event, or none when the event is not something a customer should
 * hear about. Pure: the message depends only on the event.
 */
export function notificationFor(event: OrderEvent): Notification | undefined {
  const base = {
    orderId: event.data.orderId,
    customerId: event.data.customerId,
    eventId: event.eventId,
    eventType: event.type,
    occurredAt: event.occurredAt,
  };
  switch (event.type) {
    case 'OrderPlaced':
      return {
        ...base,
        status: 'PENDING',
        message: `We received your order of ${formatMoney(event.data.total, event.data.currency)}.`,
      };
    case 'OrderCancelled':
      return { ...base, status: 'CANCELLED', message: 'Your order was cancelled.' };
    case 'OrderStatusChanged': {
      const message = STATUS_MESSAGES[event.data.to];
      return message === undefined ? undefined : { ...base, status: event.data.to, message };
    }
  }
}
