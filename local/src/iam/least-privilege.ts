import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { type CfnTemplate, isRecord, TemplateError } from '../template/template-types.ts';
import type { LocalIam } from './local-iam.ts';
import { list } from './policy-document.ts';
import { formatUnusedGrantReport, loadUnusedGrantReasons, type UnusedGrantReason, type UnusedGrantReport, unusedGrantReport } from './usage.ts';

/**
 * Least privilege, measured (iam/README.md): after a run (the end-to-end suite, the soak), every
 * grant of every role that no call used, with the reason recorded for it.
 *
 * A grant the template writes is explained next to it, in the `Metadata` of its function or state
 * machine, beside its `Policies` (SAM and CloudFormation keep `Metadata` as it is):
 *
 *   Metadata:
 *     UnusedGrants:
 *       - Action: logs:*
 *         Resource: '*'
 *         Reason: Step Functions itself sets up and writes the execution log delivery …
 *
 * The AWS managed policies SAM attaches (logs, X-Ray, the pollers' policies) are not written in
 * the template: they are explained once, in unused-grants.json.
 */

const SUPPORTED_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);

/** Each `Metadata.UnusedGrants` entry of the template's functions and state machines, resolved as the roles are. */
export function unusedGrantReasonsFromTemplate(template: CfnTemplate, resolver: IntrinsicResolver): UnusedGrantReason[] {
  return Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    const entries = resource.Metadata?.UnusedGrants;
    if (entries === undefined || !resolver.isActive(logicalId)) return [];
    const where = `template.yaml ${logicalId} Metadata.UnusedGrants`;
    if (!SUPPORTED_TYPES.has(resource.Type) || !Array.isArray(entries)) {
      throw new TemplateError(`${where}: a list of { Action, Resource, Reason } on a function or state machine`);
    }
    return entries.flatMap((entry: unknown, index) => {
      const resolved = resolver.resolve(entry);
      if (!isRecord(resolved) || typeof resolved.Reason !== 'string' || resolved.Action === undefined || resolved.Resource === undefined) {
        throw new TemplateError(`${where}[${index}]: needs Action, Resource and Reason`);
      }
      const { Action, Resource, Reason } = resolved;
      return list(Action as string | string[]).flatMap((action) =>
        list(Resource as string | string[]).map((resourceArn) => ({ role: logicalId, action: String(action), resource: String(resourceArn), reason: Reason, source: where })),
      );
    });
  });
}

export interface LeastPrivilegeRun {
  iam: LocalIam;
  template: CfnTemplate;
  resolver: IntrinsicResolver;
}

/** The unused-grant report of a run, with the reasons of the template and of unused-grants.json. */
export async function leastPrivilegeReport(run: LeastPrivilegeRun): Promise<UnusedGrantReport> {
  // Grants and reasons in the form calls are recorded in (DynamoDB Local's `ddblocal` region is the local one).
  const fromTemplate = unusedGrantReasonsFromTemplate(run.template, run.resolver).map((reason) => ({ ...reason, resource: run.iam.canonicalArn(reason.resource) }));
  return unusedGrantReport(run.iam.canonicalRoles(), run.iam.usage, [...fromTemplate, ...(await loadUnusedGrantReasons())]);
}

/**
 * Writes what a run used and left unused to `<directory>/<name>-…`: the report people read
 * (`-unused-grants.txt`), every (role, action, resource) used (`-usage.json`) and the denied
 * calls by principal and action (`-denied.json`). Returns the report.
 */
export async function writeLeastPrivilegeReport(run: LeastPrivilegeRun, directory: string, name: string): Promise<{ report: UnusedGrantReport; file: string }> {
  const report = await leastPrivilegeReport(run);
  await mkdir(directory, { recursive: true });
  const file = join(directory, `${name}-unused-grants.txt`);
  const stale = report.stale.map((reason) => `  ${reason.source ?? 'unused-grants.json'}: ${reason.role} ${reason.action} on ${reason.resource}`);
  const text = [
    `Granted and never used during ${name} (action on resource (policy): reason)`,
    '',
    formatUnusedGrantReport(report),
    ...(stale.length > 0 ? ['', 'Reasons recorded for grants that are now used or gone:', ...stale] : []),
    '',
  ].join('\n');
  await writeFile(file, text);
  await writeFile(join(directory, `${name}-usage.json`), `${JSON.stringify(run.iam.usage.toJSON(), null, 2)}\n`);
  await writeFile(join(directory, `${name}-denied.json`), `${JSON.stringify(Object.fromEntries([...run.iam.denials].sort()), null, 2)}\n`);
  return { report, file };
}
