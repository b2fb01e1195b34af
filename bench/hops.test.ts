import { describe, expect, it } from 'vitest';
import { journeyHops, type JourneyTrace, summarizeHops } from './hops.ts';

const exited = (name: string, at: number) => ({ type: 'TaskStateExited', timestamp: new Date(at), stateExitedEventDetails: { name } });

function trace(offset = 0): JourneyTrace {
  const t = (ms: number) => 1_000_000 + offset + ms;
  return {
    orderId: 'o-1',
    postSentAt: t(0),
    postAnsweredAt: t(50),
    confirmedSeenAt: t(1000),
    invocations: [
      { functionLogicalId: 'PlaceOrderFunction', startedAt: t(10), endedAt: t(40), durationMs: 20, event: '{"body":"…"}' },
      { functionLogicalId: 'PublishOrderEventsFunction', startedAt: t(300), endedAt: t(340), durationMs: 30, event: '{"Records":[{"orderId":"o-1"}]}' },
      { functionLogicalId: 'PublishOrderEventsFunction', startedAt: t(200), endedAt: t(220), durationMs: 10, event: '{"Records":[{"orderId":"someone-else"}]}' },
      { functionLogicalId: 'StartFulfilmentFunction', startedAt: t(400), endedAt: t(450), durationMs: 40, event: '{"Records":[{"body":"o-1"}]}' },
    ],
    executions: [
      // The parent's own state ends on the same millisecond as the child's confirming state: not part of the journey to CONFIRMED.
      { startedAt: t(430), history: [exited('Fulfil', t(900))] },
      { startedAt: t(460), history: [exited('ReserveStock', t(600)), exited('TakePayment', t(800)), exited('MarkConfirmed', t(900)), exited('Confirmed', t(901))] },
    ],
  };
}

describe('journeyHops', () => {
  it('splits a journey into consecutive hops that add up to its total, up to the state that confirms', () => {
    const hops = journeyHops(trace())!;
    expect(hops.map((hop) => hop.hop)).toEqual([
      'API Gateway: route, Cognito authorizer, event',
      'Lambda worker hand-off (PlaceOrder)',
      'PlaceOrderFunction handler',
      'API Gateway: response',
      'DynamoDB stream read (poll interval, batching window)',
      'PublishOrderEventsFunction (SNS Publish)',
      'SNS → SQS → poll (batching window)',
      'StartFulfilmentFunction → StartExecution',
      'child execution start (startExecution.sync:2)',
      'state ReserveStock',
      'state TakePayment',
      'state MarkConfirmed',
      'CONFIRMED seen by the bench (20 ms polling)',
    ]);
    expect(hops.reduce((sum, hop) => sum + hop.ms, 0)).toBe(1000);
    expect(hops.find((hop) => hop.hop === 'DynamoDB stream read (poll interval, batching window)')?.ms).toBe(250);
    expect(hops.find((hop) => hop.hop === 'PlaceOrderFunction handler')?.ms).toBe(25); // 30 ms less half the 10 ms outside the handler
  });

  it('cannot explain a journey with a missing milestone', () => {
    const broken = trace();
    expect(journeyHops({ ...broken, invocations: broken.invocations.filter((invocation) => invocation.functionLogicalId !== 'StartFulfilmentFunction') })).toBeUndefined();
  });
});

describe('summarizeHops', () => {
  it('gives each hop its p50 and mean, and names the slowest', () => {
    const summary = summarizeHops([journeyHops(trace())!, journeyHops(trace(5000))!]);
    expect(summary.slowest).toBe('DynamoDB stream read (poll interval, batching window)');
    expect(summary.hops[0]).toMatchObject({ hop: 'API Gateway: route, Cognito authorizer, event', p50: 10, mean: 10 });
    expect(summary.hops.reduce((sum, hop) => sum + hop.share, 0)).toBeCloseTo(1, 10);
  });
});
