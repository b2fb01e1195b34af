import { orderEventConsumer } from '@orders/shared/events';
import { startFulfilmentOf } from '@orders/shared/fulfilment';

/** Fulfilment queue → one saga execution per placed order (named after it, so it starts once). */
export const handler = orderEventConsumer(async (event) => {
  if (event.type === 'OrderPlaced') await startFulfilmentOf(event);
});
