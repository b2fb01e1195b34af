import type { LocalFunctionDefinition } from '../lambda/from-template.ts';
import type { LambdaInvoker } from '../lambda/invocation.ts';
import type { InvokeLambda } from './integrations.ts';
import { findFunction } from '../lambda/function-names.ts';

/**
 * `invokeLambda` for the local Step Functions, over the local Lambda service: `FunctionName` as
 * Step Functions accepts it (a name, `name:qualifier`, a partial `<account>:function:<name>` or a
 * full ARN, the `live` alias's ARN included) is matched against each function's `FunctionName`,
 * then its logical id (what `!GetAtt XFunction.Arn` resolves to when nothing registered another
 * ARN). A qualifier must be one the function has; every one runs the code on disk (findFunction).
 */
export function invokeThroughLambdaService(lambda: LambdaInvoker & { functions: LocalFunctionDefinition[] }): InvokeLambda {
  return async (functionName, payload) => {
    const fn = findFunction(lambda.functions, functionName);
    const outcome = await lambda.invoke(fn.logicalId, payload);
    if (outcome.kind === 'success') return { payload: outcome.payload };
    return { payload: { ...outcome.error }, functionError: 'Unhandled' };
  };
}

/** `arn:aws:lambda:us-east-1:123456789012:function:Reserve:live` → `Reserve`. */
export function bareFunctionName(functionName: string): string {
  const parts = functionName.split(':');
  const at = parts.indexOf('function');
  if (at >= 0 && parts[at + 1] !== undefined) return parts[at + 1] as string;
  return parts[0] ?? functionName;
}
