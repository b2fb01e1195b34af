import { describe, expect, it } from 'vitest';
import { rolesFromTemplate } from '#local/iam/from-template.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO, type IntrinsicResolver } from '#local/template/intrinsics.ts';
import { loadTemplate as loadLocalTemplate } from '#local/template/load-template.ts';
import { ResourceRegistry } from '#local/template/resource-registry.ts';
import type { CfnTemplate } from '#local/template/template-types.ts';
import { loadTemplate, resourcesOfType, TEMPLATE } from './support/tools.ts';

// The local cloud's IAM (local/src/iam) evaluates every call against the role each function and
// state machine will have after `sam deploy`. It builds those roles from template.yaml itself, so
// `npm start` needs no Python; this suite checks them against what SAM's own translator (in the
// venv) generates: the same roles, the same managed policy ARNs, the same inline policies
// statement for statement. Intrinsics on both sides are resolved the same way, with the local
// cloud's resolver and default local values.

const resolverFor = (template: CfnTemplate): IntrinsicResolver =>
  createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) });

interface TranslatedRole {
  managedPolicyArns: string[];
  inlinePolicies: Record<string, unknown>;
}

function translatedRoles(): Record<string, TranslatedRole> {
  const raw = loadTemplate('transform');
  const resolver = resolverFor(raw as unknown as CfnTemplate);
  return Object.fromEntries(
    resourcesOfType(raw, 'AWS::IAM::Role')
      .filter(([logicalId]) => resolver.isActive(logicalId))
      .map(([logicalId, role]) => {
        const properties = resolver.resolve(role.Properties ?? {}) as { ManagedPolicyArns?: string[]; Policies?: Array<{ PolicyName: string; PolicyDocument: unknown }> };
        return [
          logicalId,
          {
            managedPolicyArns: [...(properties.ManagedPolicyArns ?? [])].sort(),
            inlinePolicies: Object.fromEntries((properties.Policies ?? []).map((policy) => [policy.PolicyName, policy.PolicyDocument])),
          },
        ];
      }),
  );
}

async function localRoles(): Promise<Record<string, TranslatedRole>> {
  const { template } = await loadLocalTemplate(TEMPLATE);
  const { roles } = rolesFromTemplate(template, resolverFor(template));
  return Object.fromEntries(
    roles.map((role) => [
      role.logicalId,
      {
        managedPolicyArns: [...role.managedPolicyArns].sort(),
        inlinePolicies: Object.fromEntries(role.inlinePolicies.map((policy) => [policy.name, policy.document])),
      },
    ]),
  );
}

describe('execution roles the local cloud enforces', () => {
  it('are the roles SAM generates: same managed policies, same inline statements (Deny included)', async () => {
    const expected = translatedRoles();
    const actual = await localRoles();
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [logicalId, role] of Object.entries(expected)) {
      expect(actual[logicalId], logicalId).toEqual(role);
    }
  });

  it('cover every function and state machine, and the SAM-attached policies the issue names', async () => {
    const { template } = await loadLocalTemplate(TEMPLATE);
    const resolver = resolverFor(template);
    const { roleOf } = rolesFromTemplate(template, resolver);
    // Resources whose Condition is false (the sam-local-only authorizer) are not deployed and get no role.
    const owners = Object.entries(template.Resources).filter(
      ([logicalId, r]) => (r.Type === 'AWS::Serverless::Function' || r.Type === 'AWS::Serverless::StateMachine') && resolver.isActive(logicalId),
    );
    for (const [logicalId] of owners) expect(roleOf(logicalId)?.logicalId, logicalId).toBe(`${logicalId}Role`);
    expect(roleOf('PublishOrderEventsFunction')?.managedPolicyArns).toContain('arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole');
    expect(roleOf('StartFulfilmentFunction')?.managedPolicyArns).toContain('arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole');
    expect(roleOf('FulfilmentStateMachine')?.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess']);
  });
});
