import { publishChange, streamBatchHandler } from '@orders/shared/events';

/** The table's stream → one domain event per order change, published to the order events topic. */
export const handler = streamBatchHandler(publishChange);
