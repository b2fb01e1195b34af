import { assertAdmin, catalog, httpHandler, jsonBody, principalOf, schemas } from '@orders/shared';

/** POST /products (admin): adds a product with no stock; stock is set with PUT .../stock. */
export const handler = httpHandler(async ({ event }) => {
  assertAdmin(principalOf(event));
  const product = await catalog.createProduct(jsonBody(event, schemas.createProductBody));
  return { status: 201, body: product, headers: { location: `/products/${product.productId}` } };
});
