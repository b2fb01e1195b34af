import { describe, expect, it } from 'vitest';
import type { InvocationOutcome, LambdaInvoker } from '../lambda/invocation.ts';
import { FunctionInvocationError, invokeThrough } from './local-stream-mapping.ts';

function lambdaAnswering(outcome: (requestId: string) => InvocationOutcome) {
  const calls: Array<{ functionLogicalId: string; requestId: string | undefined }> = [];
  const lambda: LambdaInvoker = {
    async invoke(functionLogicalId, _event, options) {
      calls.push({ functionLogicalId, requestId: options?.requestId });
      return outcome(options?.requestId ?? 'generated');
    },
  };
  return { lambda, calls };
}

describe('invokeThrough', () => {
  it('returns the function response and uses the mapping request id', async () => {
    const { lambda, calls } = lambdaAnswering((requestId) => ({ kind: 'success', requestId, payload: { batchItemFailures: [] }, durationMs: 1 }));
    const invoke = invokeThrough(lambda, 'OrderEventsPublisher');
    await expect(invoke({ Records: [] }, { requestId: 'req-1' })).resolves.toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([{ functionLogicalId: 'OrderEventsPublisher', requestId: 'req-1' }]);
  });

  it('rejects with the Lambda error payload when the function failed', async () => {
    const { lambda } = lambdaAnswering((requestId) => ({
      kind: 'error',
      requestId,
      error: { errorType: 'TypeError', errorMessage: 'boom', trace: [] },
      durationMs: 1,
    }));
    const invoke = invokeThrough(lambda, 'OrderEventsPublisher');
    const failure = invoke({ Records: [] }, { requestId: 'req-2' });
    await expect(failure).rejects.toBeInstanceOf(FunctionInvocationError);
    await expect(failure).rejects.toThrow('TypeError: boom');
  });
});
