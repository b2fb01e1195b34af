import { orderOnlyInput, releaseStock, sagaTask } from '@orders/shared/fulfilment';

/** Saga compensation: returns the order's reserved stock if it still holds it. */
export const handler = sagaTask(orderOnlyInput, releaseStock);
