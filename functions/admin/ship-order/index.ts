import { assertAdmin, httpHandler, jsonBody, orders, pathParameters, principalOf, schemas } from '@orders/shared';

/** POST /admin/orders/{orderId}/ship (admin): records the shipment and resumes the saga. */
export const handler = httpHandler(async ({ event, correlationId }) => {
  assertAdmin(principalOf(event));
  const { orderId } = pathParameters(event, schemas.orderIdParams);
  const { trackingNumber } = jsonBody(event, schemas.shipOrderBody);
  return { status: 200, body: await orders.shipOrder(orderId, trackingNumber, correlationId) };
});
