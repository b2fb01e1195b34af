import { orderOnlyInput, refundPayment, sagaTask } from '@orders/shared/fulfilment';

/** Saga compensation: refunds the payment if it was taken. */
export const handler = sagaTask(orderOnlyInput, refundPayment);
