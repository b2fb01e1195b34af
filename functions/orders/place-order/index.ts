import { header, httpHandler, jsonBody, parseWith, principalOf, schemas } from '@orders/shared';
import { placeOrder } from '@orders/shared/place-order';

/**
 * POST /orders: places an order for the caller, priced from the catalog. The Idempotency-Key
 * header makes retries safe: the same key and body return the same order.
 */
export const handler = httpHandler(async ({ event, context, correlationId }) => {
  const principal = principalOf(event);
  const idempotencyKey = parseWith(schemas.idempotencyKey, header(event, 'idempotency-key'), 'header:Idempotency-Key');
  const request = jsonBody(event, schemas.placeOrderBody);
  const order = await placeOrder({ customerId: principal.userId, idempotencyKey, request, correlationId }, context);
  return { status: 201, body: order, headers: { location: `/orders/${order.orderId}` } };
});
