import { httpHandler, orders, pathParameters, principalOf, schemas } from '@orders/shared';

/** POST /orders/{orderId}/cancel: the owner cancels while the order can still be cancelled (else 409). */
export const handler = httpHandler(async ({ event, correlationId }) => {
  const principal = principalOf(event);
  const { orderId } = pathParameters(event, schemas.orderIdParams);
  return { status: 200, body: await orders.cancelOrder(principal, orderId, correlationId) };
});
