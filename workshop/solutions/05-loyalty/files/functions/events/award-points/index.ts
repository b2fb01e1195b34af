import { awardPoints, orderEventConsumer } from '@orders/shared/events';

/** Loyalty queue → points for each confirmed order, once per order. */
export const handler = orderEventConsumer(awardPoints);
