/**
 * Errors the fulfilment state machine matches by name (Lambda reports `error.name` as the
 * error type, and the state machine's Retry and Catch fields name them). Keep these names in
 * step with statemachine/fulfilment.asl.json.
 */
abstract class NamedError extends Error {
  abstract override readonly name: string;
}

/** A line asks for more than is in stock: the order is rejected. Not retried. */
export class OutOfStockError extends NamedError {
  override readonly name = 'OutOfStock';
}

/** The payment provider declined the payment: the order fails. Not retried. */
export class PaymentDeclinedError extends NamedError {
  override readonly name = 'PaymentDeclined';
}

/** The payment provider failed in a way that may pass (timeout, 5xx): retried with backoff. */
export class PaymentUnavailableError extends NamedError {
  override readonly name = 'PaymentUnavailable';
}

/**
 * The saga's compensation voided the order's payment before this attempt could record its
 * charge (the attempt outlived its place in the saga): nothing is charged, and any charge the
 * attempt made was refunded. Not retried; the state machine has moved on.
 */
export class PaymentVoidedError extends NamedError {
  override readonly name = 'PaymentVoided';
}

/** The order moved on (say, cancelled) before the saga could take its next step. */
export class OrderNotInExpectedStatusError extends NamedError {
  override readonly name = 'OrderNotInExpectedStatus';
}

/** The saga's order does not exist (orders are never deleted, so this is a bug, not a user's mistake). */
export class OrderNotFoundError extends NamedError {
  override readonly name = 'OrderNotFound';
}
