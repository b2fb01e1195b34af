import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import type { OrderPlaced } from '../events/schemas.ts';
import { logger, metrics } from '../platform/observability.ts';
import { OrderNotFoundError, OrderNotInExpectedStatusError, PaymentVoidedError } from './errors.ts';
import { orderRepository, paymentProvider, paymentRepository, stockRepository } from '../repositories.ts';
import { startFulfilment } from './saga-signals.ts';

// The fulfilment saga's steps that need logic (the plain status updates are direct DynamoDB
// integrations in statemachine/fulfilment.asl.json). Each is safe to run more than once: the
// state machine retries, and Lambda may deliver an invocation twice.

const orderId = z.uuid();

export const sagaInput = z.object({
  orderId,
  customerId: z.string().check(z.minLength(1)),
  total: z.int().check(z.nonnegative()),
  currency: z.string().check(z.length(3)),
  correlationId: z.string().check(z.minLength(1)),
  lines: z.array(z.object({ productId: z.uuid(), quantity: z.int().check(z.positive()) })).check(z.minLength(1)),
});
export type SagaInput = z.infer<typeof sagaInput>;

export const reserveStockInput = z.pick(sagaInput, { orderId: true, lines: true });
export const orderOnlyInput = z.object({ orderId });
export const awaitShipmentInput = z.object({ orderId, taskToken: z.string().check(z.minLength(1)) });

const now = () => new Date().toISOString();

/** Holds every line's quantity for the order, or fails with OutOfStock. */
export async function reserveStock(input: z.infer<typeof reserveStockInput>): Promise<{ reserved: true }> {
  const firstTime = await stockRepository().reserve(input.orderId, input.lines, now());
  if (!firstTime) logger.info('Stock was already reserved for this order');
  return { reserved: true };
}

/**
 * Charges the order's total once, whatever the number of attempts. An attempt can outlive its
 * place in the saga (its answer timed out while its work went on), so the compensation may have
 * voided the payment meanwhile: an attempt that finds the void, before or after charging,
 * leaves no charge behind and fails with PaymentVoided.
 */
export async function takePayment(input: z.infer<typeof orderOnlyInput>): Promise<{ chargeId: string }> {
  const recorded = await paymentRepository().get(input.orderId);
  if (recorded?.status === 'CHARGED') return { chargeId: recorded.chargeId };
  if (recorded) throw new PaymentVoidedError(`The payment of order ${input.orderId} was ${recorded.status.toLowerCase()} by the saga's compensation`);
  const order = await orderRepository().get(input.orderId);
  if (!order) throw new OrderNotFoundError(`Order ${input.orderId} was not found`);
  const { chargeId } = await paymentProvider().charge({
    idempotencyKey: order.orderId,
    amount: order.total,
    currency: order.currency,
    paymentMethod: order.paymentMethod,
  });
  const charge = { orderId: order.orderId, chargeId, amount: order.total, currency: order.currency };
  if (await paymentRepository().recordCharge(charge, now())) {
    logger.info('Payment taken', { chargeId, amount: order.total, currency: order.currency });
    metrics.addMetric('PaymentsTaken', MetricUnit.Count, 1);
  } else {
    const current = await paymentRepository().get(input.orderId);
    // Stryker disable OptionalChaining: the record that refused this one is there (payment records are never deleted)
    if (current?.status === 'VOIDED') {
      // The compensation looked before this charge landed: nobody else will refund it.
      await paymentProvider().refund(chargeId);
      if (await paymentRepository().recordRefundedCharge(charge, now())) metrics.addMetric('PaymentsRefunded', MetricUnit.Count, 1);
      logger.warn('Refunded a charge that landed after the saga voided the payment', { chargeId });
    }
    // REFUNDED: the compensation found this charge at the provider and refunded it.
    // CHARGED: another attempt recorded this same charge (the provider's idempotency key is the order id).
    if (current?.status !== 'CHARGED') throw new PaymentVoidedError(`The payment of order ${input.orderId} was voided while it was being charged; the charge was refunded`);
    // Stryker restore OptionalChaining
  }
  return { chargeId };
}

/**
 * Compensation: refunds the order's payment if, and only if, it was charged and not yet
 * refunded. A charge the order never recorded (the provider's answer was lost, then the
 * retries ran out) is found at the provider under the order id and refunded too. With nothing
 * charged anywhere, the payment is voided, so a payment attempt still in flight cannot leave a
 * charge standing after this step (see takePayment).
 */
export async function refundPayment(input: z.infer<typeof orderOnlyInput>): Promise<{ refunded: boolean }> {
  const payment = await paymentRepository().get(input.orderId);
  if (payment?.status === 'REFUNDED') return { refunded: false };
  if (payment?.status === 'CHARGED') {
    await paymentProvider().refund(payment.chargeId);
    const refunded = await paymentRepository().markRefunded(input.orderId, now());
    logger.info(refunded ? 'Payment refunded' : 'Payment was already refunded', { chargeId: payment.chargeId });
    if (refunded) metrics.addMetric('PaymentsRefunded', MetricUnit.Count, 1);
    return { refunded };
  }
  const unrecorded = await paymentProvider().findCharge(input.orderId);
  if (unrecorded === undefined) {
    // A charge recorded between the two looks above makes the void fail: refund that one.
    if (payment === undefined && !(await paymentRepository().void(input.orderId, now()))) return refundPayment(input);
    return { refunded: false };
  }
  await paymentProvider().refund(unrecorded.chargeId);
  // Refunded first, recorded second: without its order the refund cannot be recorded, but the
  // customer has their money back.
  const order = await orderRepository().get(input.orderId);
  if (!order) throw new OrderNotFoundError(`Order ${input.orderId} was not found`);
  const refunded = await paymentRepository().recordRefundedCharge(
    { orderId: input.orderId, chargeId: unrecorded.chargeId, amount: order.total, currency: order.currency },
    now(),
  );
  logger.warn('Refunded a charge whose answer had been lost', { chargeId: unrecorded.chargeId });
  if (refunded) metrics.addMetric('PaymentsRefunded', MetricUnit.Count, 1);
  return { refunded };
}

/** Compensation: returns reserved stock if, and only if, the order still holds it. */
export async function releaseStock(input: z.infer<typeof orderOnlyInput>): Promise<{ released: boolean }> {
  const released = await stockRepository().release(input.orderId, now());
  logger.info(released ? 'Stock released' : 'No reserved stock to release');
  return { released };
}

/** Parks the saga's task token on the order until an admin ships it or the customer cancels. */
export async function awaitShipment(input: z.infer<typeof awaitShipmentInput>): Promise<{ waiting: true }> {
  const stored = await orderRepository().storeShipmentTaskToken(input.orderId, input.taskToken);
  if (!stored) throw new OrderNotInExpectedStatusError(`Order ${input.orderId} is no longer CONFIRMED`);
  logger.info('Waiting for shipment');
  return { waiting: true };
}

/** The fulfilment queue's consumer: one saga execution per placed order. */
export async function startFulfilmentOf(event: OrderPlaced): Promise<void> {
  const input: SagaInput = {
    orderId: event.data.orderId,
    customerId: event.data.customerId,
    total: event.data.total,
    currency: event.data.currency,
    correlationId: event.correlationId,
    lines: event.data.lines.map(({ productId, quantity }) => ({ productId, quantity })),
  };
  const outcome = await startFulfilment(input.orderId, sagaInput.parse(input));
  logger.info(outcome === 'started' ? 'Fulfilment started' : 'Fulfilment was already started (duplicate delivery)');
}
