import { notifyCustomer, orderEventConsumer } from '@orders/shared/events';

/** Customer notification queue → one notification record per event that concerns the customer. */
export const handler = orderEventConsumer(notifyCustomer);
