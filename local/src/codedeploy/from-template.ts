import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { resourcesOfType } from '../template/load-template.ts';
import { type CfnTemplate, isRecord, TemplateError } from '../template/template-types.ts';

/**
 * One function's `DeploymentPreference`, as the CodeDeploy deployment group SAM makes of it:
 * application `ServerlessDeploymentApplication`, group `<Function>DeploymentGroup`.
 */
export interface LocalDeploymentGroup {
  functionLogicalId: string;
  applicationName: string;
  deploymentGroupName: string;
  /** `Canary10Percent5Minutes`, `AllAtOnce`, … (parameters resolved). */
  deploymentType: string;
  /** Logical ids of the hook functions (`Hooks.PreTraffic`, `Hooks.PostTraffic`). */
  preTrafficHook: string | undefined;
  postTrafficHook: string | undefined;
  /** Logical ids of the alarms that roll a deployment back. */
  alarms: string[];
}

/** Every active function with a `DeploymentPreference` (globals merged). */
export function readDeploymentGroups(template: CfnTemplate, resolver: IntrinsicResolver): LocalDeploymentGroup[] {
  const groups = resourcesOfType(template, 'AWS::Serverless::Function').filter(
    ([logicalId, fn]) => resolver.isActive(logicalId) && fn.Properties?.DeploymentPreference !== undefined,
  );
  if (groups.length === 0) return [];
  const applicationName = String(resolver.resolve({ Ref: 'ServerlessDeploymentApplication' }));
  return groups.map(([logicalId, fn]) => {
    const preference = fn.Properties?.DeploymentPreference;
    if (!isRecord(preference)) throw new TemplateError(`${logicalId}: DeploymentPreference must be a map`);
    const hooks = isRecord(preference.Hooks) ? preference.Hooks : {};
    return {
      functionLogicalId: logicalId,
      applicationName,
      deploymentGroupName: `${logicalId}DeploymentGroup`,
      deploymentType: String(resolver.resolve(preference.Type)),
      preTrafficHook: referencedId(hooks.PreTraffic, `${logicalId}: Hooks.PreTraffic`),
      postTrafficHook: referencedId(hooks.PostTraffic, `${logicalId}: Hooks.PostTraffic`),
      alarms: (Array.isArray(preference.Alarms) ? preference.Alarms : []).map((alarm, index) => referencedId(alarm, `${logicalId}: Alarms[${index}]`)!),
    };
  });
}

/** `!Ref Resource` → `Resource`; what SAM accepts for hooks and alarms of this template. */
function referencedId(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (isRecord(value) && typeof value.Ref === 'string') return value.Ref;
  throw new TemplateError(`${path}: expected !Ref <LogicalId>, got ${JSON.stringify(value)}`);
}
