import { assertAdmin, catalog, httpHandler, jsonBody, pathParameters, principalOf, schemas } from '@orders/shared';

/** PUT /products/{productId} (admin): changes name, description, price or currency. */
export const handler = httpHandler(async ({ event }) => {
  assertAdmin(principalOf(event));
  const { productId } = pathParameters(event, schemas.productIdParams);
  const changes = jsonBody(event, schemas.updateProductBody);
  return { status: 200, body: await catalog.updateProduct(productId, changes) };
});
