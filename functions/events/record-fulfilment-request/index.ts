import { orderEventConsumer, recordFulfilmentRequest } from '@orders/shared/events';

/** Fulfilment queue → records that fulfilment of each placed order was requested, once. */
export const handler = orderEventConsumer(recordFulfilmentRequest);
