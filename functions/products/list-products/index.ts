import { catalog, httpHandler, queryParameters, schemas } from '@orders/shared';

/** GET /products: the public catalog, by name, paginated. */
export const handler = httpHandler(async ({ event }) => {
  const page = queryParameters(event, schemas.pageQuery);
  const { items, nextCursor } = await catalog.listProducts(page);
  return { status: 200, body: { items, nextCursor } };
});
