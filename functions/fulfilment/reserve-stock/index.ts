import { reserveStock, reserveStockInput, sagaTask } from '@orders/shared/fulfilment';

/** Saga step: holds every line's quantity (all or nothing), or fails with OutOfStock. */
export const handler = sagaTask(reserveStockInput, reserveStock);
