import { describe, expect, it } from 'vitest';
import { decideFault } from '../lambda/faults.ts';
import { FaultTally } from './fault-tally.ts';
import { rateFaultRule } from './function-faults.ts';
import { seededRandom } from './random.ts';

const orderId = '0b7c6f0e-9d3a-4a57-9a38-6b1f3c2d4e5f';

describe('rateFaultRule', () => {
  it('throws, times out (as Lambda reports it) and passes at about the given rates, deterministically', () => {
    const run = () => {
      const tally = new FaultTally();
      const rule = rateFaultRule('F', { throwRate: 0.2, timeoutRate: 0.1 }, 30, seededRandom(42), tally);
      return Array.from({ length: 2000 }, () => decideFault(rule, { orderId })).map((decision) => (decision.kind === 'fail' ? decision.error.errorType : 'ok'));
    };
    const outcomes = run();
    expect(run()).toEqual(outcomes);
    const count = (type: string) => outcomes.filter((outcome) => outcome === type).length;
    expect(count('LocalFault')).toBeGreaterThan(300);
    expect(count('LocalFault')).toBeLessThan(500);
    expect(count('Sandbox.Timedout')).toBeGreaterThan(120);
    expect(count('Sandbox.Timedout')).toBeLessThan(280);
  });

  it('gives a timeout the message Lambda gives, and a payment outage the error the saga retries', () => {
    const tally = new FaultTally();
    const timeout = decideFault(rateFaultRule('F', { timeoutRate: 1 }, 30, seededRandom(1), tally), { orderId });
    expect(timeout).toMatchObject({ kind: 'fail', error: { errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/Task timed out after 30.00 seconds$/) } });
    const payment = decideFault(rateFaultRule('TakePaymentFunction', { paymentFailureRate: 1 }, 30, seededRandom(1), tally), { orderId });
    expect(payment).toMatchObject({ kind: 'fail', error: { errorType: 'PaymentUnavailable' } });
    expect(tally.faultsOn(orderId)).toBe(2);
    expect(tally.snapshot()).toMatchObject({ total: 2, ordersTouched: 1 });
  });

  it('fails single records of a batch event (partial batch response)', () => {
    const rule = rateFaultRule('F', { throwRate: 0.5 }, 30, seededRandom(3), new FaultTally());
    const records = Array.from({ length: 20 }, (_, index) => ({ eventSource: 'aws:sqs', messageId: `m${index}`, body: '{}' }));
    const decision = decideFault(rule, { Records: records });
    expect(decision.kind).toBe('partial');
  });

  it('finds the order in a record whose body holds an SNS envelope (escaped JSON)', () => {
    const tally = new FaultTally();
    const rule = rateFaultRule('F', { throwRate: 1 }, 30, seededRandom(1), tally);
    const body = JSON.stringify({ Type: 'Notification', Message: JSON.stringify({ data: { orderId } }) });
    decideFault(rule, { Records: [{ eventSource: 'aws:sqs', messageId: 'm1', body }] });
    expect(tally.faultsOn(orderId)).toBe(1);
  });

  it('lets the handler run and then times out at the after-work rate, counting it apart', () => {
    const tally = new FaultTally();
    const rule = rateFaultRule('F', { timeoutAfterWorkRate: 1 }, 30, seededRandom(1), tally);
    const decision = decideFault(rule, { orderId });
    expect(decision).toMatchObject({ kind: 'after-work', event: { orderId }, error: { errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/Task timed out after 30.00 seconds$/) } });
    expect(tally.snapshot().injected).toEqual({ 'F: Sandbox.Timedout after work': 1 });
  });
});
