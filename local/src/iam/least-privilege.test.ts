import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { templateFromYaml } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { unusedGrantReasonsFromTemplate } from './least-privilege.ts';
import { LocalIam } from './local-iam.ts';
import { loadUnusedGrantReasons, unusedGrantReport } from './usage.ts';

const TEMPLATE = readFileSync(new URL('../../../template.yaml', import.meta.url), 'utf8');
const TABLE = `arn:aws:dynamodb:us-east-1:${DEFAULT_PSEUDO.accountId}:table/OrdersTable`;

function load(text: string) {
  const template = templateFromYaml(text);
  const resolver = createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) });
  return { template, resolver };
}

describe('reasons recorded next to a grant (Metadata.UnusedGrants)', { timeout: 30_000 }, () => {
  it("reads each entry of the template's functions and state machines, its intrinsics resolved", () => {
    const { template, resolver } = load(
      TEMPLATE.replace(
        '  GetProductFunction:\n    Type: AWS::Serverless::Function\n    Metadata:\n',
        '  GetProductFunction:\n    Type: AWS::Serverless::Function\n    Metadata:\n      UnusedGrants:\n        - Action: [dynamodb:BatchGetItem]\n          Resource: !GetAtt OrdersTable.Arn\n          Reason: Only read when the cache is cold, which the tests never see.\n',
      ),
    );
    const reasons = unusedGrantReasonsFromTemplate(template, resolver);
    expect(reasons).toContainEqual({
      role: 'GetProductFunction',
      action: 'dynamodb:BatchGetItem',
      resource: TABLE,
      reason: 'Only read when the cache is cold, which the tests never see.',
      source: 'template.yaml GetProductFunction Metadata.UnusedGrants',
    });
    // It explains that grant, and only it, when it goes unused.
    const iam = LocalIam.fromTemplate(template, resolver, { enforce: true });
    const report = unusedGrantReport(iam.roles.roles, iam.usage, reasons);
    expect(report.explained.filter((grant) => grant.role === 'GetProductFunctionRole')).toEqual([
      expect.objectContaining({ action: 'dynamodb:BatchGetItem', resource: TABLE, reason: 'Only read when the cache is cold, which the tests never see.' }),
    ]);
  });

  it('refuses an entry without a reason', () => {
    const { template, resolver } = load(
      TEMPLATE.replace(
        '  GetProductFunction:\n    Type: AWS::Serverless::Function\n    Metadata:\n',
        '  GetProductFunction:\n    Type: AWS::Serverless::Function\n    Metadata:\n      UnusedGrants:\n        - Action: dynamodb:GetItem\n          Resource: !GetAtt OrdersTable.Arn\n',
      ),
    );
    expect(() => unusedGrantReasonsFromTemplate(template, resolver)).toThrow('template.yaml GetProductFunction Metadata.UnusedGrants[0]: needs Action, Resource and Reason');
  });

  it('with no call made, every grant of template.yaml is unused and the template and unused-grants.json explain only some', async () => {
    const { template, resolver } = load(TEMPLATE);
    const iam = LocalIam.fromTemplate(template, resolver, { enforce: true });
    const report = unusedGrantReport(iam.roles.roles, iam.usage, [...unusedGrantReasonsFromTemplate(template, resolver), ...(await loadUnusedGrantReasons())]);
    expect(report.stale).toEqual([]);
    expect(report.unexplained).toContainEqual(expect.objectContaining({ role: 'PlaceOrderFunctionRole', action: 'dynamodb:PutItem' }));
    expect(report.explained).toContainEqual(expect.objectContaining({ role: 'FulfilmentStateMachineRole', action: 'logs:CreateLogDelivery', resource: '*' }));
  });
});
