import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { NotFoundError } from '../platform/errors.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { notificationRepository, orderRepository, stockRepository } from '../repositories.ts';
import type { Notification } from '../notifications/notification.ts';
import type { Page, PageRequest } from '../platform/table/pagination.ts';
import { assertCanCancel, assertCanShip, assertCanView, assertIsOwner, type Order, type OrderStatus, type OrderSummary } from './order.ts';
import { logger, metrics } from '../platform/observability.ts';
import * as sagaSignals from '../fulfilment/saga-signals.ts';

// The order use cases of the API. Placing an order, the longest, has a file of its own.
export { placeOrder, type PlaceOrderCommand } from './place-order.ts';

export async function getOrderFor(principal: Principal, orderId: string): Promise<Order> {
  const order = await orderRepository().get(orderId);
  if (!order) throw new NotFoundError(`Order ${orderId} was not found`);
  assertCanView(principal, order);
  return order;
}

export const listOrdersOf = (
  principal: Principal,
  page: PageRequest,
): Promise<Page<OrderSummary>> => orderRepository().listByCustomer(principal.userId, page);

/** The admin view; the caller has checked the principal is an admin. */
export const listOrdersByStatus = (
  status: OrderStatus,
  page: PageRequest,
): Promise<Page<OrderSummary>> => orderRepository().listByStatus(status, page);

/**
 * Cancels the caller's order. The conditional status change is the commit point: once it
 * succeeds the order is CANCELLED, and the fulfilment saga compensates whatever it had done
 * (if it is waiting for shipment it is told now; if it is still reserving or charging, its
 * own next conditional update fails and it compensates then).
 */
export async function cancelOrder(principal: Principal, orderId: string, correlationId: string): Promise<Order> {
  const order = await getOrderFor(principal, orderId);
  assertCanCancel(principal, order);
  const { order: updated, shipmentTaskToken } = await orderRepository().transition(orderId, 'CANCELLED', {
    customerId: principal.userId,
    correlationId,
    now: new Date().toISOString(),
  });
  if (shipmentTaskToken !== undefined) await sagaSignals.orderCancelled(shipmentTaskToken);
  logger.info('Order cancelled', { orderId, from: order.status });
  metrics.addMetric('OrdersCancelled', MetricUnit.Count, 1);
  return { ...order, status: updated.status, updatedAt: updated.updatedAt };
}

/**
 * Ships a confirmed order (admin): records the shipment (order SHIPPED, reserved stock
 * committed) in one transaction, then resumes the saga waiting for it. After this the order
 * can no longer be cancelled.
 */
export async function shipOrder(orderId: string, trackingNumber: string, correlationId: string): Promise<Order> {
  const order = await orderRepository().get(orderId);
  if (!order) throw new NotFoundError(`Order ${orderId} was not found`);
  assertCanShip(order);
  const { shipmentTaskToken } = await stockRepository().commitShipment(orderId, {
    trackingNumber,
    correlationId,
    now: new Date().toISOString(),
  });
  if (shipmentTaskToken !== undefined) await sagaSignals.orderShipped(shipmentTaskToken, trackingNumber);
  logger.info('Order shipped', { orderId, trackingNumber });
  metrics.addMetric('OrdersShipped', MetricUnit.Count, 1);
  const shipped = await orderRepository().get(orderId);
  return shipped ?? order;
}

/** What the customer was told about their order, oldest first (owner only). */
export async function listNotificationsFor(principal: Principal, orderId: string): Promise<Notification[]> {
  const order = await orderRepository().get(orderId);
  if (!order) throw new NotFoundError(`Order ${orderId} was not found`);
  assertIsOwner(principal, order);
  return notificationRepository().listFor(orderId);
}
