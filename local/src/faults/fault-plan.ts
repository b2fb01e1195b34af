/**
 * A fault plan: which faults the local cloud injects, at which rates (local test facility, off
 * by default). From `startLocalCloud({ faults })` or, for `npm start`, the `LOCAL_FAULTS`
 * environment variable (JSON):
 *
 *   LOCAL_FAULTS='{"functions":{"NotifyCustomerFunction":{"throwRate":0.1},"TakePaymentFunction":{"timeoutRate":0.05}},
 *                  "dynamoDbThrottleRate":0.05,"paymentFailureRate":0.2,"seed":42}'
 *
 * Every rate is a probability in [0, 1] per invocation (per record for batch events) or per
 * DynamoDB request. With the same seed the same sequence of decisions is drawn (the order in
 * which concurrent work asks is not deterministic, so a run is not replayed exactly).
 */
export interface FunctionFaultRates {
  /** The invocation fails as if the handler threw (`LocalFault`), before the handler runs. */
  throwRate?: number;
  /** The invocation fails as a Lambda timeout does (`Sandbox.Timedout`), without waiting for it. */
  timeoutRate?: number;
  /**
   * The handler runs to completion, then the invocation fails as `Sandbox.Timedout`: its writes
   * happened, the response was lost, and the caller (API client, queue, stream, saga) retries.
   */
  timeoutAfterWorkRate?: number;
}

const RATE_KEYS = ['throwRate', 'timeoutRate', 'timeoutAfterWorkRate'] as const;

export interface FaultPlan {
  functions?: Record<string, FunctionFaultRates>;
  /** DynamoDB data-plane requests of the functions and the state machines answered with a throttling error. */
  dynamoDbThrottleRate?: number;
  /** TakePaymentFunction invocations failing with `PaymentUnavailable` (the provider failing transiently). */
  paymentFailureRate?: number;
  seed?: number;
}

export const FAULT_PLAN_ENV = 'LOCAL_FAULTS';
/** The function the payment provider's transient failures are injected into. */
export const PAYMENT_FUNCTION = 'TakePaymentFunction';

export class FaultPlanError extends Error {}

/** Parses and checks a plan (JSON text or an object); empty text means no faults. */
export function parseFaultPlan(input: string | unknown, source = FAULT_PLAN_ENV): FaultPlan | undefined {
  let value: unknown = input;
  if (typeof input === 'string') {
    if (input.trim() === '') return undefined;
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new FaultPlanError(`${source} is not JSON: ${(error as Error).message}`);
    }
  }
  if (!isObject(value)) throw new FaultPlanError(`${source} must be a JSON object`);
  const known = new Set(['functions', 'dynamoDbThrottleRate', 'paymentFailureRate', 'seed']);
  for (const key of Object.keys(value)) if (!known.has(key)) throw new FaultPlanError(`${source}: unknown setting "${key}" (known: ${[...known].join(', ')})`);

  const plan: FaultPlan = {};
  if (value.functions !== undefined) {
    if (!isObject(value.functions)) throw new FaultPlanError(`${source}: "functions" must map function logical ids to rates`);
    plan.functions = {};
    for (const [logicalId, rates] of Object.entries(value.functions)) {
      if (!isObject(rates)) throw new FaultPlanError(`${source}: functions.${logicalId} must be an object`);
      for (const key of Object.keys(rates)) {
        if (!(RATE_KEYS as readonly string[]).includes(key)) throw new FaultPlanError(`${source}: functions.${logicalId}.${key} is not one of ${RATE_KEYS.join(', ')}`);
      }
      const parsed: FunctionFaultRates = {};
      for (const key of RATE_KEYS) {
        const value = rate(rates[key], `functions.${logicalId}.${key}`, source);
        if (value !== undefined) parsed[key] = value;
      }
      if (RATE_KEYS.reduce((sum, key) => sum + (parsed[key] ?? 0), 0) > 1) throw new FaultPlanError(`${source}: functions.${logicalId}: ${RATE_KEYS.join(' + ')} exceeds 1`);
      plan.functions[logicalId] = parsed;
    }
  }
  const throttle = rate(value.dynamoDbThrottleRate, 'dynamoDbThrottleRate', source);
  if (throttle !== undefined) plan.dynamoDbThrottleRate = throttle;
  const payment = rate(value.paymentFailureRate, 'paymentFailureRate', source);
  if (payment !== undefined) plan.paymentFailureRate = payment;
  if (value.seed !== undefined) {
    if (typeof value.seed !== 'number' || !Number.isInteger(value.seed)) throw new FaultPlanError(`${source}: "seed" must be an integer`);
    plan.seed = value.seed;
  }
  return plan;
}

/** True when the plan injects anything at all. */
export function isActive(plan: FaultPlan | undefined): plan is FaultPlan {
  if (plan === undefined) return false;
  const functionRates = Object.values(plan.functions ?? {}).some((rates) => RATE_KEYS.some((key) => (rates[key] ?? 0) > 0));
  return functionRates || (plan.dynamoDbThrottleRate ?? 0) > 0 || (plan.paymentFailureRate ?? 0) > 0;
}

/** One line for logs and banners. */
export function describeFaultPlan(plan: FaultPlan): string {
  const parts = Object.entries(plan.functions ?? {}).flatMap(([logicalId, rates]) => [
    ...(rates.throwRate ? [`${logicalId} throws ${percent(rates.throwRate)}`] : []),
    ...(rates.timeoutRate ? [`${logicalId} times out ${percent(rates.timeoutRate)}`] : []),
    ...(rates.timeoutAfterWorkRate ? [`${logicalId} times out after its work ${percent(rates.timeoutAfterWorkRate)}`] : []),
  ]);
  if (plan.paymentFailureRate) parts.push(`payment provider unavailable ${percent(plan.paymentFailureRate)}`);
  if (plan.dynamoDbThrottleRate) parts.push(`DynamoDB throttles ${percent(plan.dynamoDbThrottleRate)}`);
  return `${parts.join(', ') || 'none'} (seed ${plan.seed ?? 1})`;
}

const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;

function rate(value: unknown, name: string, source: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) throw new FaultPlanError(`${source}: ${name} must be a number from 0 to 1`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
