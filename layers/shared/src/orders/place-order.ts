import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ConflictError, IdempotencyKeyReusedError } from '../platform/errors.ts';
import type { PlaceOrderBody } from '../platform/http/api-schemas.ts';
import { logger, metrics } from '../platform/observability.ts';
import { orderRepository, productRepository } from '../repositories.ts';
import { INITIAL_STATUS, orderIdFor, priceOrder, type Order } from './order.ts';

export interface PlaceOrderCommand {
  customerId: string;
  idempotencyKey: string;
  request: PlaceOrderBody;
  correlationId: string;
}

/**
 * Places an order once per (customer, Idempotency-Key): a retry with the same body gets the
 * same answer back, a different body under the same key is refused (422). Keys are scoped to
 * the customer so two customers can never collide.
 *
 * The order is its own idempotency record (docs/decisions.md D39): its id is derived from the
 * customer and the key, and it is written with a condition that no order with that id exists.
 * Whatever happened to an earlier attempt (it is still running, it finished, it wrote the order
 * and then timed out), a retry either writes the order or meets the one already written; no
 * separate record has to be written first and completed after, in two more round trips.
 */
export async function placeOrder(command: PlaceOrderCommand): Promise<Order> {
  const catalog = await productRepository().getPricing(command.request.items.map((item) => item.productId));
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
  const outcome = await orderRepository().create(order, { correlationId: command.correlationId, now });
  if (outcome === 'exists') return placedEarlier(order);
  if (outcome === 'contended') {
    throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly');
  }
  // One line per business step, each with the order id: the order's trail in the logs
  // (docs/operations.md: the order-trail query, `npm run trail`).
  logger.info('Order placed', { orderId: order.orderId, total, currency, lines: lines.length });
  metrics.addMetric('OrdersPlaced', MetricUnit.Count, 1);
  metrics.addMetric('OrderLines', MetricUnit.Count, lines.length);
  return order;
}

/**
 * The answer to a repeated request: the order an earlier attempt under the same key wrote, as
 * it was placed (the saga may have moved it on since; the response to a retry is the response
 * to the first attempt, and `GET /orders/{id}` shows where it is now). A key that was used for
 * a different order is refused.
 */
async function placedEarlier(attempt: Order): Promise<Order> {
  // Consistent: an attempt that finished a moment ago must be seen.
  const existing = await orderRepository().get(attempt.orderId, { consistent: true });
  // What the customer asked for, not what it was priced at: a price may change in between. The
  // address's fields are sorted, as DynamoDB does not keep a map's order.
  const asked = (order: Order) =>
    JSON.stringify([
      order.customerId,
      order.lines.map((line) => [line.productId, line.quantity]),
      Object.entries(order.shippingAddress).sort(([a], [b]) => a.localeCompare(b)),
      order.paymentMethod,
    ]);
  if (existing === undefined || asked(existing) !== asked(attempt)) {
    throw new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different request body');
  }
  const { statusReason: _reason, trackingNumber: _tracking, ...placed } = existing;
  return { ...placed, status: INITIAL_STATUS, updatedAt: existing.createdAt };
}
