import { describe, expect, it } from 'vitest';
import { applyGlobals, mergeGlobal } from './globals.ts';
import type { CfnTemplate } from './template-types.ts';

describe('mergeGlobal', () => {
  it('merges maps key by key with the resource winning', () => {
    expect(
      mergeGlobal(
        { Timeout: 10, Environment: { Variables: { A: '1', B: '2' } } },
        { Timeout: 3, Environment: { Variables: { B: 'local', C: '3' } } },
      ),
    ).toEqual({ Timeout: 3, Environment: { Variables: { A: '1', B: 'local', C: '3' } } });
  });

  it('concatenates lists, globals first', () => {
    expect(mergeGlobal({ Layers: ['global'] }, { Layers: ['own'] })).toEqual({ Layers: ['global', 'own'] });
  });

  it('treats an intrinsic as a value rather than a map to merge into', () => {
    expect(mergeGlobal({ Role: { Ref: 'GlobalRole' } }, { Role: { 'Fn::GetAtt': ['R', 'Arn'] } })).toEqual({
      Role: { 'Fn::GetAtt': ['R', 'Arn'] },
    });
  });
});

describe('applyGlobals', () => {
  it('merges the Function section into serverless functions only', () => {
    const template: CfnTemplate = {
      Globals: { Function: { Timeout: 10, Runtime: 'nodejs24.x' } },
      Resources: {
        Fn: { Type: 'AWS::Serverless::Function', Properties: { Timeout: 3 } },
        Bare: { Type: 'AWS::Serverless::Function' },
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
      },
    };
    const merged = applyGlobals(template);
    expect(merged.Resources.Fn?.Properties).toEqual({ Timeout: 3, Runtime: 'nodejs24.x' });
    expect(merged.Resources.Bare?.Properties).toEqual({ Timeout: 10, Runtime: 'nodejs24.x' });
    expect(merged.Resources.Table?.Properties).toEqual({ BillingMode: 'PAY_PER_REQUEST' });
  });
});
