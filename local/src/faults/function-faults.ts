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
 * The handler does not run for what fails, so a timeout here is one that did nothing.
 */
export function installFunctionFaults(lambda: LocalLambdaService, plan: FaultPlan, random: Random, tally: FaultTally): string[] {
  const rules = new Map<string, FunctionFaultRates & { paymentFailureRate?: number }>();
  for (const [logicalId, rates] of Object.entries(plan.functions ?? {})) rules.set(logicalId, { ...rates });
  if ((plan.paymentFailureRate ?? 0) > 0) rules.set(PAYMENT_FUNCTION, { ...rules.get(PAYMENT_FUNCTION), paymentFailureRate: plan.paymentFailureRate });

  const installed: string[] = [];
  for (const [logicalId, rates] of rules) {
    const fn = lambda.functions.find((candidate) => candidate.logicalId === logicalId);
    if (fn === undefined) throw new Error(`The fault plan names ${logicalId}, which is not a function in the template`);
    lambda.setFault(logicalId, rateFaultRule(logicalId, rates, fn.timeoutSeconds, random, tally), describeRates(rates));
    installed.push(logicalId);
  }
  return installed;
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
  const paymentRate = rates.paymentFailureRate ?? 0;
  return (input) => {
    const draw = random();
    let error: Error | undefined;
    if (draw < throwRate) {
      error = named(LOCAL_FAULT_ERROR_TYPE, `Injected by the local cloud's fault plan: ${functionLogicalId} threw`);
    } else if (draw < throwRate + timeoutRate) {
      error = named(TIMEOUT_ERROR_TYPE, `RequestId: ${randomUUID()} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
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
    ...(rates.paymentFailureRate ? [`payment provider unavailable at rate ${rates.paymentFailureRate}`] : []),
  ];
  return `fault plan: ${parts.join(', ')}`;
}
