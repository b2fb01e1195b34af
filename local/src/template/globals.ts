import { type CfnTemplate, isRecord } from './template-types.ts';

/** The `Globals` section key for each SAM resource type it applies to. */
const GLOBALS_SECTION: Record<string, string> = {
  'AWS::Serverless::Function': 'Function',
  'AWS::Serverless::Api': 'Api',
  'AWS::Serverless::HttpApi': 'HttpApi',
  'AWS::Serverless::SimpleTable': 'SimpleTable',
  'AWS::Serverless::StateMachine': 'StateMachine',
  'AWS::Serverless::LayerVersion': 'LayerVersion',
};

/**
 * Returns a copy of the template with SAM `Globals` merged into each resource's `Properties`,
 * following SAM's rules: maps merge key by key (the resource wins), lists concatenate (globals
 * first), and any other value set on the resource replaces the global one.
 */
export function applyGlobals(template: CfnTemplate): CfnTemplate {
  const globals = template.Globals ?? {};
  const resources = Object.fromEntries(
    Object.entries(template.Resources).map(([logicalId, resource]) => {
      const section = GLOBALS_SECTION[resource.Type];
      const sectionGlobals = section === undefined ? undefined : globals[section];
      if (sectionGlobals === undefined) return [logicalId, resource];
      const properties = mergeGlobal(sectionGlobals, resource.Properties ?? {}) as Record<string, unknown>;
      return [logicalId, { ...resource, Properties: properties }];
    }),
  );
  return { ...template, Resources: resources };
}

export function mergeGlobal(global: unknown, local: unknown): unknown {
  if (local === undefined) return global;
  // An intrinsic (`{ Ref: X }`, `{ 'Fn::If': ... }`) is a value, not a map to merge into.
  if (isIntrinsic(local) || isIntrinsic(global)) return local;
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  if (isRecord(global) && isRecord(local)) {
    const merged: Record<string, unknown> = { ...global };
    for (const [key, value] of Object.entries(local)) merged[key] = mergeGlobal(global[key], value);
    return merged;
  }
  return local;
}

function isIntrinsic(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}
