import { catalog, httpHandler, queryParameters, schemas } from '@orders/shared';

/** GET /products: the public catalog, by name, paginated; `maxAge` accepts a page read up to that many seconds ago. */
export const handler = httpHandler(async ({ event }) => {
  const { maxAge, ...page } = queryParameters(event, schemas.catalogPageQuery);
  const { items, nextCursor } = await catalog.listProducts(page, maxAge);
  return { status: 200, body: { items, nextCursor } };
});
