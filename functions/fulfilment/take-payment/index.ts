import { orderOnlyInput, sagaTask, takePayment } from '@orders/shared/fulfilment';

/** Saga step: charges the order once (PaymentDeclined or PaymentUnavailable otherwise). */
export const handler = sagaTask(orderOnlyInput, takePayment);
