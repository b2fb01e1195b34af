import { describe, expect, it } from 'vitest';
import type { LocalFunctionDefinition } from './from-template.ts';
import { findFunction } from './function-names.ts';

const functions = [
  { logicalId: 'ListProductsFunction', functionName: 'ListProductsFunction', alias: 'live' },
  { logicalId: 'HookFunction', functionName: 'CodeDeployHook_local-pre-traffic', alias: undefined },
] as LocalFunctionDefinition[];
const find = (name: string, qualifier?: string) => findFunction(functions, name, qualifier).logicalId;

describe('findFunction: what Lambda’s Invoke accepts as FunctionName (and Qualifier)', () => {
  it('finds a function by name, logical id, partial or full ARN, unqualified or qualified by $LATEST, its version or its alias', () => {
    for (const name of [
      'ListProductsFunction',
      'ListProductsFunction:$LATEST',
      'ListProductsFunction:1',
      'ListProductsFunction:live',
      '000000000000:function:ListProductsFunction:live',
      'arn:aws:lambda:us-east-1:000000000000:function:ListProductsFunction',
      'arn:aws:lambda:us-east-1:000000000000:function:ListProductsFunction:live',
    ]) {
      expect(find(name), name).toBe('ListProductsFunction');
    }
    expect(find('ListProductsFunction', 'live')).toBe('ListProductsFunction');
    expect(find('CodeDeployHook_local-pre-traffic')).toBe('HookFunction');
    expect(find('HookFunction:1')).toBe('HookFunction');
  });

  it('refuses a function or qualifier that does not exist, and two qualifiers that disagree', () => {
    expect(() => find('Nope')).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException', message: 'Function not found: Nope' }));
    expect(() => find('ListProductsFunction:2')).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException', message: expect.stringContaining('$LATEST, 1, live') }));
    expect(() => find('HookFunction:live')).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
    expect(() => find('ListProductsFunction:live', '1')).toThrow(expect.objectContaining({ name: 'InvalidParameterValueException' }));
  });
});
