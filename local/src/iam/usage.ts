import { readFile } from 'node:fs/promises';
import { type ExecutionRole, policiesOf } from './from-template.ts';
import { actionMatches, arnMatches, list, statementsOf, wildcardMatch } from './policy-document.ts';

/**
 * Least privilege, measured: every (action, resource) a role was allowed is recorded while the
 * local cloud runs; afterwards each role's granted (action, resource) pairs that no recorded call
 * exercised are reported, and each must have a reason in `unused-grants.json`.
 */

export interface Use {
  action: string;
  resource: string;
}

/** One (action, resource) pair an `Allow` statement grants, and where it comes from. */
export interface Grant {
  role: string;
  action: string;
  resource: string;
  /** The inline policy's name or the managed policy's ARN. */
  policy: string;
}

export interface UnusedGrantReason {
  /** Role logical id, function/state machine logical id, or `*` for every role. */
  role: string;
  /** An action or action pattern, as granted (`logs:CreateLogGroup`, `xray:*`). */
  action: string;
  /** The granted resource or a pattern over it (`*` for all). */
  resource: string;
  /** Only grants of this policy (an inline policy's name or a managed policy's ARN; may use `*`). */
  policy?: string;
  reason: string;
  /** Where it is recorded, for messages (default `unused-grants.json`; `template.yaml PlaceOrderFunction Metadata`). */
  source?: string;
}

export class UsageRecorder {
  private readonly uses = new Map<string, Map<string, Use>>();

  /** `onNewUse` hears each (role, action, resource) once: a Lambda worker forwards it to the main thread. */
  constructor(private readonly onNewUse?: (role: string, use: Use) => void) {}

  record(role: string, use: Use): void {
    let byRole = this.uses.get(role);
    if (byRole === undefined) this.uses.set(role, (byRole = new Map()));
    const key = `${use.action.toLowerCase()} ${use.resource}`;
    if (byRole.has(key)) return;
    byRole.set(key, use);
    this.onNewUse?.(role, use);
  }

  usesOf(role: string): Use[] {
    return [...(this.uses.get(role)?.values() ?? [])];
  }

  /** `{ role: [{ action, resource }] }`, e.g. to write next to a soak run's results or merge from workers. */
  toJSON(): Record<string, Use[]> {
    return Object.fromEntries([...this.uses.keys()].sort().map((role) => [role, this.usesOf(role)]));
  }

  merge(recorded: Record<string, Use[]>): void {
    for (const [role, uses] of Object.entries(recorded)) for (const use of uses) this.record(role, use);
  }
}

/**
 * Every (action, resource) pair the role's `Allow` statements grant. A `NotAction` or
 * `NotResource` grant is listed as `NOT <list>`: it grants too much to enumerate.
 */
export function grantsOf(role: ExecutionRole): Grant[] {
  return policiesOf(role).policies.flatMap((policy) =>
    statementsOf(policy.document)
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) => {
        const actions = statement.Action !== undefined ? list(statement.Action) : [`NOT ${list(statement.NotAction).join(',')}`];
        const resources = statement.Resource !== undefined ? list(statement.Resource) : [`NOT ${list(statement.NotResource).join(',')}`];
        return actions.flatMap((action) => resources.map((resource) => ({ role: role.logicalId, action, resource, policy: policy.name })));
      }),
  );
}

const exercised = (grant: Grant, use: Use): boolean => actionMatches(grant.action, use.action) && arnMatches(grant.resource, use.resource);

export function unusedGrants(roles: ExecutionRole[], usage: UsageRecorder): Grant[] {
  return roles.flatMap((role) => {
    const uses = usage.usesOf(role.logicalId);
    return grantsOf(role).filter((grant) => !uses.some((use) => exercised(grant, use)));
  });
}

/** The reason recorded for an unused grant, if any: one naming its role wins over one for every role. */
export function reasonFor(grant: Grant, roles: ExecutionRole[], reasons: UnusedGrantReason[]): UnusedGrantReason | undefined {
  const role = roles.find((candidate) => candidate.logicalId === grant.role);
  const names = new Set([grant.role, ...(role?.usedBy.map((user) => user.logicalId) ?? [])]);
  const matching = reasons.filter(
    (reason) =>
      (reason.role === '*' || names.has(reason.role)) &&
      wildcardMatch(reason.action, grant.action, true) &&
      (reason.resource === grant.resource || wildcardMatch(reason.resource, grant.resource)) &&
      (reason.policy === undefined || wildcardMatch(reason.policy, grant.policy)),
  );
  return matching.find((reason) => reason.role !== '*') ?? matching[0];
}

export interface UnusedGrantReport {
  /** Unused grants with the reason recorded for each. */
  explained: Array<Grant & { reason: string }>;
  /** Unused grants nobody explained: remove them, exercise them in a test, or record why. */
  unexplained: Grant[];
  /** Recorded reasons that match no unused grant any more (the grant went, or is now used). */
  stale: UnusedGrantReason[];
}

export function unusedGrantReport(roles: ExecutionRole[], usage: UsageRecorder, reasons: UnusedGrantReason[]): UnusedGrantReport {
  const unused = unusedGrants(roles, usage);
  const explained: UnusedGrantReport['explained'] = [];
  const unexplained: Grant[] = [];
  const matched = new Set<UnusedGrantReason>();
  for (const grant of unused) {
    const reason = reasonFor(grant, roles, reasons);
    if (reason === undefined) unexplained.push(grant);
    else {
      matched.add(reason);
      explained.push({ ...grant, reason: reason.reason });
    }
  }
  return { explained, unexplained, stale: reasons.filter((reason) => !matched.has(reason)) };
}

/** The report as people read it: per role, each unused grant and its reason (or that it has none). */
export function formatUnusedGrantReport(report: UnusedGrantReport): string {
  const rows = [
    ...report.unexplained.map((grant) => ({ ...grant, note: 'NO REASON RECORDED' })),
    ...report.explained.map((grant) => ({ ...grant, note: grant.reason })),
  ].sort((a, b) => a.role.localeCompare(b.role) || a.action.localeCompare(b.action));
  if (rows.length === 0) return 'Every granted permission was used.';
  const lines: string[] = [];
  let role = '';
  for (const row of rows) {
    if (row.role !== role) lines.push(`${(role = row.role)}:`);
    lines.push(`  ${row.action} on ${row.resource} (${row.policy}): ${row.note}`);
  }
  return lines.join('\n');
}

/** The recorded reasons for unused grants (`unused-grants.json`, next to this module). */
export async function loadUnusedGrantReasons(file: URL = new URL('./unused-grants.json', import.meta.url)): Promise<UnusedGrantReason[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { reasons?: UnusedGrantReason[] };
  return parsed.reasons ?? [];
}

/**
 * The least-privilege check for the end of the end-to-end suite or the soak: throws, listing
 * them, when a granted permission was unused and has no recorded reason, or when a recorded
 * reason explains nothing any more; returns the report otherwise.
 */
export function assertLeastPrivilege(roles: ExecutionRole[], usage: UsageRecorder, reasons: UnusedGrantReason[]): UnusedGrantReport {
  return assertReportExplained(unusedGrantReport(roles, usage, reasons));
}

/** Throws, listing them, when the report has an unused grant without a reason or a reason that explains nothing; returns it otherwise. */
export function assertReportExplained(report: UnusedGrantReport): UnusedGrantReport {
  const problems = [
    ...report.unexplained.map((grant) => `${grant.role}: ${grant.action} on ${grant.resource} (${grant.policy}) was granted but never used`),
    ...report.stale.map((reason) => `${reason.source ?? 'unused-grants.json'}: the reason for ${reason.role} ${reason.action} on ${reason.resource} matches no unused grant`),
  ];
  if (problems.length > 0) {
    throw new Error(
      'Least privilege: remove these grants, exercise them in a test, or record why (the template grant: `Metadata: UnusedGrants` of its ' +
        `function or state machine; an AWS managed policy: local/src/iam/unused-grants.json):\n${problems.join('\n')}`,
    );
  }
  return report;
}
