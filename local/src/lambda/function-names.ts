import type { LocalFunctionDefinition } from './from-template.ts';
import { LOCAL_FUNCTION_VERSION } from '../template/resource-registry.ts';

/**
 * The function a Lambda `FunctionName` names, as Lambda's Invoke accepts it: a name, a logical
 * id (what an unregistered `!Ref` resolves to locally), `name:qualifier`, a partial
 * `<account>:function:<name>[:qualifier]` or a full ARN, with the qualifier possibly given
 * separately (Invoke's `Qualifier`). A qualifier must be one the function has: `$LATEST`, its
 * one local version (`1`, what `!Ref Fn.Version` resolves to) or its `AutoPublishAlias`; all
 * three run the code on disk. Anything else is Lambda's ResourceNotFoundException.
 */
export function findFunction(
  functions: readonly LocalFunctionDefinition[],
  functionName: string,
  qualifier?: string,
): LocalFunctionDefinition {
  const unqualified = functionName.replace(/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/, '').replace(/^\d{12}:function:/, '');
  const [name = '', nameQualifier] = unqualified.split(':');
  const fn = functions.find((candidate) => candidate.functionName === name) ?? functions.find((candidate) => candidate.logicalId === name);
  if (fn === undefined) throw notFound(`Function not found: ${functionName}`);
  if (nameQualifier !== undefined && qualifier !== undefined && nameQualifier !== qualifier) {
    throw Object.assign(new Error(`The qualifier ${qualifier} conflicts with the one in ${functionName}`), { name: 'InvalidParameterValueException' });
  }
  const wanted = nameQualifier ?? qualifier;
  const known = ['$LATEST', LOCAL_FUNCTION_VERSION, ...(fn.alias === undefined ? [] : [fn.alias])];
  if (wanted !== undefined && !known.includes(wanted)) {
    throw notFound(`Function not found: ${fn.functionName}:${wanted} (local qualifiers: ${known.join(', ')})`);
  }
  return fn;
}

function notFound(message: string): Error {
  return Object.assign(new Error(message), { name: 'ResourceNotFoundException' });
}
