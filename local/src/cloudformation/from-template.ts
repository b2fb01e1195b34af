import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { type CfnTemplate, isRecord } from '../template/template-types.ts';

/** One of the template's `Outputs`, resolved with the local cloud's values. */
export interface StackOutput {
  OutputKey: string;
  OutputValue: string;
  Description?: string;
}

/** An output value of the shape `https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}/`. */
const EXECUTE_API_URL = /^https:\/\/\$\{(\w+)\}\.execute-api\./;

/**
 * The template's `Outputs` as `DescribeStacks` reports them, with the local cloud's values: a
 * queue's URL, a table's name, the user pool's id. An API's invoke URL (`execute-api`) becomes
 * the local API's URL, whose paths start at the root (no stage), with the trailing slash the
 * deployed URL has. Outputs that resolve to nothing here (a condition that is false) are left
 * out, as CloudFormation does; `onSkipped` hears about those that cannot be resolved locally.
 */
export function readStackOutputs(
  template: CfnTemplate,
  resolver: IntrinsicResolver,
  apiUrls: Record<string, string>,
  onSkipped: (outputKey: string, reason: string) => void = () => {},
): StackOutput[] {
  const outputs = isRecord(template.Outputs) ? template.Outputs : {};
  const resolved: StackOutput[] = [];
  for (const [key, output] of Object.entries(outputs)) {
    if (!isRecord(output)) continue;
    if (typeof output.Condition === 'string' && !resolver.condition(output.Condition)) continue;
    const description = typeof output.Description === 'string' ? output.Description : undefined;
    try {
      const value = localApiUrl(output.Value, apiUrls) ?? resolver.resolve(output.Value);
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`resolves to ${JSON.stringify(value)}, not a string`);
      resolved.push({ OutputKey: key, OutputValue: String(value), ...(description !== undefined && { Description: description }) });
    } catch (error) {
      onSkipped(key, (error as Error).message);
    }
  }
  return resolved;
}

function localApiUrl(value: unknown, apiUrls: Record<string, string>): string | undefined {
  const sub = isRecord(value) ? value['Fn::Sub'] : undefined;
  if (typeof sub !== 'string') return undefined;
  const api = EXECUTE_API_URL.exec(sub)?.[1];
  const url = api === undefined ? undefined : apiUrls[api];
  return url === undefined ? undefined : `${url.replace(/\/+$/, '')}/`;
}
