import { assertAdmin, httpHandler, orders, principalOf, queryParameters, schemas } from '@orders/shared';

/** GET /admin/orders?status=...: orders in one status, newest first (admin only). */
export const handler = httpHandler(async ({ event }) => {
  assertAdmin(principalOf(event));
  const { status, ...page } = queryParameters(event, schemas.ordersByStatusQuery);
  const { items, nextCursor } = await orders.listOrdersByStatus(status, page);
  return { status: 200, body: { items, nextCursor } };
});
