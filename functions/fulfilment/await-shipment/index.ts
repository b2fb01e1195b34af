import { awaitShipment, awaitShipmentInput, sagaTask } from '@orders/shared/fulfilment';

/** Saga step (.waitForTaskToken): parks the task token on the order until it ships or is cancelled. */
export const handler = sagaTask(awaitShipmentInput, awaitShipment);
