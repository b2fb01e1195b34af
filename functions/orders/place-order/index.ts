import { header, httpHandler, jsonBody, orders, parseWith, principalOf, schemas } from '@orders/shared';

/**
 * POST /orders: places an order for the caller, priced from the catalog. The Idempotency-Key
 * header makes retries safe: the same key and body return the same order.
 */
export const handler = httpHandler(async ({ event, correlationId }) => {
  const principal = principalOf(event);
  const idempotencyKey = parseWith(schemas.idempotencyKey, header(event, 'idempotency-key'), 'header:Idempotency-Key');
  const request = jsonBody(event, schemas.placeOrderBody);
  const order = await orders.placeOrder({ customerId: principal.userId, idempotencyKey, request, correlationId });
  return { status: 201, body: order, headers: { location: `/orders/${order.orderId}` } };
});
