import { describe, expect, it } from 'vitest';
import type { LocalFunctionDefinition } from '../lambda/from-template.ts';
import type { InvocationOutcome } from '../lambda/invocation.ts';
import { bareFunctionName, invokeThroughLambdaService } from './lambda-invoker.ts';

const fn = (logicalId: string, functionName = logicalId) => ({ logicalId, functionName, alias: 'live' }) as LocalFunctionDefinition;

describe('invokeThroughLambdaService', () => {
  const invoked: Array<[string, unknown]> = [];
  const lambda = {
    functions: [fn('ReserveStockFunction'), fn('ShipFunction', 'orders-ship')],
    invoke: async (logicalId: string, event: unknown): Promise<InvocationOutcome> => {
      invoked.push([logicalId, event]);
      if (logicalId === 'ShipFunction') {
        return { kind: 'error', requestId: 'r', durationMs: 1, error: { errorType: 'NoCourier', errorMessage: 'none', trace: ['at ship'] } };
      }
      return { kind: 'success', requestId: 'r', durationMs: 1, payload: { reserved: true } };
    },
  };
  const invoke = invokeThroughLambdaService(lambda);

  it('finds functions by FunctionName in any of the forms Step Functions accepts, then by logical id', async () => {
    for (const name of ['ReserveStockFunction', 'arn:aws:lambda:us-east-1:000000000000:function:ReserveStockFunction', '000000000000:function:ReserveStockFunction:live']) {
      expect(await invoke(name, { n: 1 })).toEqual({ payload: { reserved: true } });
    }
    await invoke('arn:aws:lambda:us-east-1:000000000000:function:orders-ship', {});
    expect(invoked.map(([logicalId]) => logicalId)).toEqual(['ReserveStockFunction', 'ReserveStockFunction', 'ReserveStockFunction', 'ShipFunction']);
  });

  it('returns function errors as Lambda does, and a missing function as ResourceNotFoundException', async () => {
    expect(await invoke('orders-ship', {})).toEqual({ payload: { errorType: 'NoCourier', errorMessage: 'none', trace: ['at ship'] }, functionError: 'Unhandled' });
    await expect(invoke('Nope', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Function not found: Nope' });
  });

  it('strips ARNs and qualifiers', () => {
    expect(bareFunctionName('arn:aws:lambda:eu-west-1:123456789012:function:Reserve:$LATEST')).toBe('Reserve');
    expect(bareFunctionName('Reserve:live')).toBe('Reserve');
    expect(bareFunctionName('Reserve')).toBe('Reserve');
  });
});
