import { httpHandler, orders, pathParameters, principalOf, schemas } from '@orders/shared';

/** GET /orders/{orderId}/notifications: what the customer was told about their order (owner only). */
export const handler = httpHandler(async ({ event }) => {
  const principal = principalOf(event);
  const { orderId } = pathParameters(event, schemas.orderIdParams);
  return { status: 200, body: { items: await orders.listNotificationsFor(principal, orderId) } };
});
