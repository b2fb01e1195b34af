import { catalog, httpHandler, pathParameters, schemas } from '@orders/shared';

/** GET /products/{productId}: one catalog entry (public). */
export const handler = httpHandler(async ({ event }) => {
  const { productId } = pathParameters(event, schemas.productIdParams);
  return { status: 200, body: await catalog.getProduct(productId) };
});
