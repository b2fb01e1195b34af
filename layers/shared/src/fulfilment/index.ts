// '@orders/shared/fulfilment': the fulfilment saga's Lambda steps and its starter.

export { sagaTask } from './task-handler.ts';
export {
  awaitShipment,
  awaitShipmentInput,
  orderOnlyInput,
  refundPayment,
  releaseStock,
  reserveStock,
  reserveStockInput,
  sagaInput,
  startFulfilmentOf,
  takePayment,
  type SagaInput,
} from './tasks.ts';
export { OutOfStockError, PaymentDeclinedError, PaymentUnavailableError, OrderNotInExpectedStatusError } from './errors.ts';
