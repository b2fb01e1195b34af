import { httpHandler, orders, principalOf, queryParameters, schemas } from '@orders/shared';

/** GET /orders: the caller's own orders, newest first, paginated with an opaque cursor. */
export const handler = httpHandler(async ({ event }) => {
  const principal = principalOf(event);
  const page = queryParameters(event, schemas.pageQuery);
  const { items, nextCursor } = await orders.listOrdersOf(principal, page);
  return { status: 200, body: { items, nextCursor } };
});
