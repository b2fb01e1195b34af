import type { CfnTemplate } from './template-types.ts';

/**
 * Names a SAM template may `Ref` that are not resources it declares, resolved as the SAM
 * transform resolves them:
 * - `Fn.Alias` and `Fn.Version` of a function with `AutoPublishAlias`: the alias and the
 *   version SAM publishes (their ARNs; the registry's `Alias` and `Version` attributes);
 * - `ServerlessDeploymentApplication`, the CodeDeploy application SAM adds once any function has
 *   a `DeploymentPreference` (its name; the registry's fallback value, the logical id).
 * Undefined for anything else, which the resolver reports as an unknown reference.
 */
export function samResourceReference(template: CfnTemplate, name: string): { logicalId: string; attribute?: string } | undefined {
  const property = /^([A-Za-z0-9]+)\.(Alias|Version)$/.exec(name);
  if (property !== null) {
    const [, logicalId, attribute] = property as unknown as [string, string, string];
    const fn = template.Resources[logicalId];
    if (fn?.Type === 'AWS::Serverless::Function' && fn.Properties?.AutoPublishAlias !== undefined) return { logicalId, attribute };
    return undefined;
  }
  if (name === 'ServerlessDeploymentApplication' && Object.values(template.Resources).some((resource) => resource.Properties?.DeploymentPreference !== undefined)) {
    return { logicalId: name };
  }
  return undefined;
}
