import { assertAdmin, catalog, httpHandler, jsonBody, pathParameters, principalOf, schemas } from '@orders/shared';

/** PUT /products/{productId}/stock (admin): sets the quantity available to order. */
export const handler = httpHandler(async ({ event }) => {
  assertAdmin(principalOf(event));
  const { productId } = pathParameters(event, schemas.productIdParams);
  const { stock } = jsonBody(event, schemas.setStockBody);
  return { status: 200, body: await catalog.setProductStock(productId, stock) };
});
