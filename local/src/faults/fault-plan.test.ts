import { describe, expect, it } from 'vitest';
import { describeFaultPlan, FaultPlanError, isActive, parseFaultPlan } from './fault-plan.ts';

describe('parseFaultPlan', () => {
  it('reads the LOCAL_FAULTS shape', () => {
    const plan = parseFaultPlan(
      '{"functions":{"NotifyCustomerFunction":{"throwRate":0.1},"TakePaymentFunction":{"timeoutRate":0.05}},"dynamoDbThrottleRate":0.05,"paymentFailureRate":0.2,"seed":42}',
    );
    expect(plan).toEqual({
      functions: { NotifyCustomerFunction: { throwRate: 0.1 }, TakePaymentFunction: { timeoutRate: 0.05 } },
      dynamoDbThrottleRate: 0.05,
      paymentFailureRate: 0.2,
      seed: 42,
    });
    expect(isActive(plan)).toBe(true);
    expect(describeFaultPlan(plan!)).toContain('NotifyCustomerFunction throws 10%');
  });

  it('reads an after-work timeout rate, which alone makes the plan active', () => {
    const plan = parseFaultPlan('{"functions":{"PlaceOrderFunction":{"timeoutAfterWorkRate":0.05}}}');
    expect(plan).toEqual({ functions: { PlaceOrderFunction: { timeoutAfterWorkRate: 0.05 } } });
    expect(isActive(plan)).toBe(true);
    expect(describeFaultPlan(plan!)).toContain('PlaceOrderFunction times out after its work 5%');
  });

  it('is off when unset or all zero', () => {
    expect(parseFaultPlan('')).toBeUndefined();
    expect(isActive(parseFaultPlan('{"dynamoDbThrottleRate":0}'))).toBe(false);
    expect(isActive(undefined)).toBe(false);
  });

  it.each([
    ['not json', /not JSON/],
    ['[]', /JSON object/],
    ['{"dynamoDbThrottleRate":2}', /from 0 to 1/],
    ['{"functions":{"F":{"throwRate":0.6,"timeoutRate":0.6}}}', /exceeds 1/],
    ['{"functions":{"F":{"timeoutRate":0.5,"timeoutAfterWorkRate":0.6}}}', /exceeds 1/],
    ['{"functions":{"F":{"crashRate":0.1}}}', /crashRate/],
    ['{"throttle":0.1}', /unknown setting "throttle"/],
    ['{"seed":1.5}', /integer/],
  ])('refuses %s', (text, message) => {
    expect(() => parseFaultPlan(text)).toThrow(FaultPlanError);
    expect(() => parseFaultPlan(text)).toThrow(message);
  });
});
