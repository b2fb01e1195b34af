import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { IdempotencyKeyReusedError, NotFoundError } from '../platform/errors.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { notificationRepository, orderRepository, productRepository, stockRepository } from '../repositories.ts';
import type { Notification } from '../notifications/notification.ts';
import type { Page, PageRequest } from '../platform/table/pagination.ts';
import {
  assertCanCancel,
  assertCanShip,
  assertCanView,
  assertIsOwner,
  INITIAL_STATUS,
  orderIdFor,
  priceOrder,
  type Order,
  type OrderStatus,
  type OrderSummary,
} from './order.ts';
import { logger, metrics } from '../platform/observability.ts';
import type { PlaceOrderBody } from '../platform/http/api-schemas.ts';
import { idempotentOperation } from '../platform/idempotency.ts';
import * as sagaSignals from '../fulfilment/saga-signals.ts';

export interface PlaceOrderCommand {
  customerId: string;
  idempotencyKey: string;
  request: PlaceOrderBody;
  correlationId: string;
}

async function placeOrderOnce(command: PlaceOrderCommand): Promise<Order> {
  const catalog = await productRepository().getMany(command.request.items.map((item) => item.productId));
  const { lines, total, currency } = priceOrder(command.request.items, catalog);
  const now = new Date().toISOString();
  const order: Order = {
    orderId: orderIdFor(command.customerId, command.idempotencyKey),
    customerId: command.customerId,
    status: INITIAL_STATUS,
    currency,
    lines,
    total,
    shippingAddress: command.request.shippingAddress,
    paymentMethod: command.request.paymentMethod,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await orderRepository().create(order, { correlationId: command.correlationId, now }))) {
    return existingOrderFor(order);
  }
  // One line per business step, each with the order id: the order's trail in the logs
  // (docs/operations.md: the order-trail query, `npm run trail`).
  logger.info('Order placed', { orderId: order.orderId, total, currency, lines: lines.length });
  metrics.addMetric('OrdersPlaced', MetricUnit.Count, 1);
  metrics.addMetric('OrderLines', MetricUnit.Count, lines.length);
  return order;
}

/**
 * The order an earlier attempt under the same key wrote (it died before its idempotency record
 * was completed): the same order back when it was asked for the same thing, else the key was
 * reused for a different order.
 */
async function existingOrderFor(attempt: Order): Promise<Order> {
  const existing = await orderRepository().get(attempt.orderId);
  // What the customer asked for, not what it was priced at: a price may change in between.
  const asked = (order: Order) =>
    JSON.stringify([order.customerId, order.lines.map((line) => [line.productId, line.quantity]), order.shippingAddress, order.paymentMethod]);
  const sameRequest = (order: Order | undefined) => order !== undefined && asked(order) === asked(attempt);
  if (!sameRequest(existing)) throw new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different request body');
  return existing!;
}

/**
 * Places an order once per (customer, Idempotency-Key): a retry with the same body gets the
 * same order back, a different body under the same key is refused. Keys are scoped to the
 * customer so two customers can never collide.
 */
export const placeOrder = idempotentOperation('place-order', placeOrderOnce, {
  keyPath: '[customerId, idempotencyKey]',
  payloadPath: 'request',
});

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
