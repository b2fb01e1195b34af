// '@orders/shared/place-order': placing an order, the one use case behind Powertools idempotency
// (with its JMESPath engine, about 46 KB minified). One of the
// layer's entry points, so that only PlaceOrderFunction loads it; the handler takes the rest of
// what it needs from '@orders/shared' (docs/decisions.md D1).
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { IdempotencyKeyReusedError } from '../platform/errors.ts';
import type { PlaceOrderBody } from '../platform/http/api-schemas.ts';
import { idempotentOperation } from '../platform/idempotency.ts';
import { logger, metrics } from '../platform/observability.ts';
import { orderRepository, productRepository } from '../repositories.ts';
import { INITIAL_STATUS, orderIdFor, priceOrder, type Order } from './order.ts';

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
