import { httpHandler, orders, pathParameters, principalOf, schemas } from '@orders/shared';

/** GET /orders/{orderId}: the owner or an admin sees the order; anyone else gets 404. */
export const handler = httpHandler(async ({ event }) => {
  const principal = principalOf(event);
  const { orderId } = pathParameters(event, schemas.orderIdParams);
  return { status: 200, body: await orders.getOrderFor(principal, orderId) };
});
