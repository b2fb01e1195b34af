import { randomUUID } from 'node:crypto';
import { type FaultRule, LOCAL_FAULT_ERROR_TYPE } from '../lambda/faults.ts';
import type { LocalLambdaService } from '../lambda/lambda-service.ts';
import { type FaultPlan, type FunctionFaultRates, PAYMENT_FUNCTION } from './fault-plan.ts';
import type { FaultTally } from './fault-tally.ts';
import type { Random } from './random.ts';

/** The error type Lambda gives an invocation that ran past its `Timeout` (see execution-environment.ts). */
export const TIMEOUT_ERROR_TYPE = 'Sandbox.Timedout';
/** What the payment module throws when the provider is unavailable; the saga retries it. */
export const PAYMENT_UNAVAILABLE_ERROR_TYPE = 'PaymentUnavailable';

/**
 * Installs the plan's function faults on the Lambda service's fault hook (`setFault`, one rule
 * per function): a rate-based rule that draws once per invocation, or per record of a batch
 * event (those records become batch item failures, as a handler failing on them would report).
 * The handler does not run for what fails (`throwRate`, `timeoutRate`: a timeout that did
 * nothing), except with `timeoutAfterWorkRate`: it runs, then the invocation times out.
 *
 * `held` adds inputs that always fail (see `LocalFaults.hold`): checked before the rates, for
 * functions the plan names and for others alike.
 */
export function installFunctionFaults(
  lambda: LocalLambdaService,
  plan: FaultPlan,
  random: Random,
  tally: FaultTally,
  held: ReadonlyMap<string, readonly string[]> = new Map(),
): string[] {
  const rules = new Map<string, FunctionFaultRates & { paymentFailureRate?: number }>();
  for (const [logicalId, rates] of Object.entries(plan.functions ?? {})) rules.set(logicalId, { ...rates });
  if ((plan.paymentFailureRate ?? 0) > 0) rules.set(PAYMENT_FUNCTION, { ...rules.get(PAYMENT_FUNCTION), paymentFailureRate: plan.paymentFailureRate });
  for (const logicalId of held.keys()) if (!rules.has(logicalId)) rules.set(logicalId, {});

  const installed: string[] = [];
  for (const [logicalId, rates] of rules) {
    const fn = lambda.functions.find((candidate) => candidate.logicalId === logicalId);
    if (fn === undefined) throw new Error(`The fault plan names ${logicalId}, which is not a function in the template`);
    const texts = held.get(logicalId) ?? [];
    const rule = heldInputsFirst(logicalId, texts, rateFaultRule(logicalId, rates, fn.timeoutSeconds, random, tally), tally);
    const description = [describeRates(rates), ...(texts.length > 0 ? [`fails inputs containing ${texts.map((text) => JSON.stringify(text)).join(' or ')}`] : [])];
    lambda.setFault(logicalId, rule, `fault plan: ${description.filter((part) => part !== '').join('; ')}`);
    installed.push(logicalId);
  }
  return installed;
}

/** Inputs containing one of `texts` fail (`LocalFault`) before the rates are drawn. */
function heldInputsFirst(functionLogicalId: string, texts: readonly string[], rates: FaultRule, tally: FaultTally): FaultRule {
  if (texts.length === 0) return rates;
  return (input) => {
    const text = JSON.stringify(input);
    if (!texts.some((held) => text.includes(held))) return rates(input);
    tally.record(functionLogicalId, 'held', text);
    return named(LOCAL_FAULT_ERROR_TYPE, `Held by the local cloud's fault plan: ${functionLogicalId} fails this input until the faults are disarmed`);
  };
}

export function rateFaultRule(
  functionLogicalId: string,
  rates: FunctionFaultRates & { paymentFailureRate?: number },
  timeoutSeconds: number,
  random: Random,
  tally: FaultTally,
): FaultRule {
  const throwRate = rates.throwRate ?? 0;
  const timeoutRate = rates.timeoutRate ?? 0;
  const afterWorkRate = rates.timeoutAfterWorkRate ?? 0;
  const paymentRate = rates.paymentFailureRate ?? 0;
  const timedOut = () => named(TIMEOUT_ERROR_TYPE, `RequestId: ${randomUUID()} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
  return (input) => {
    const draw = random();
    let error: Error | undefined;
    if (draw < throwRate) {
      error = named(LOCAL_FAULT_ERROR_TYPE, `Injected by the local cloud's fault plan: ${functionLogicalId} threw`);
    } else if (draw < throwRate + timeoutRate) {
      error = timedOut();
    } else if (draw < throwRate + timeoutRate + afterWorkRate) {
      const afterWork = timedOut();
      tally.record(functionLogicalId, `${TIMEOUT_ERROR_TYPE} after work`, JSON.stringify(input));
      return { afterWork };
    } else if (random() < paymentRate) {
      error = named(PAYMENT_UNAVAILABLE_ERROR_TYPE, 'The payment provider is unavailable (injected by the local fault plan)');
    }
    if (error === undefined) return false;
    tally.record(functionLogicalId, error.name, JSON.stringify(input));
    return error;
  };
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function describeRates(rates: FunctionFaultRates & { paymentFailureRate?: number }): string {
  const parts = [
    ...(rates.throwRate ? [`throws at rate ${rates.throwRate}`] : []),
    ...(rates.timeoutRate ? [`times out at rate ${rates.timeoutRate}`] : []),
    ...(rates.timeoutAfterWorkRate ? [`times out after its work at rate ${rates.timeoutAfterWorkRate}`] : []),
    ...(rates.paymentFailureRate ? [`payment provider unavailable at rate ${rates.paymentFailureRate}`] : []),
  ];
  return parts.join(', ');
}
