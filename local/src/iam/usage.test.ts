import { describe, expect, it } from 'vitest';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { templateFromYaml } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { rolesFromTemplate } from './from-template.ts';
import { assertLeastPrivilege, formatUnusedGrantReport, grantsOf, loadUnusedGrantReasons, unusedGrantReport, UsageRecorder } from './usage.ts';

const TABLE = `arn:aws:dynamodb:us-east-1:${DEFAULT_PSEUDO.accountId}:table/Table`;
const template = templateFromYaml(`
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem, dynamodb:PutItem]
              Resource: !GetAtt Table.Arn
            - Effect: Deny
              Action: dynamodb:DeleteItem
              Resource: '*'
`);
const { roles } = rolesFromTemplate(template, createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) }));
const LOGS = { role: '*', action: 'logs:*', resource: '*', reason: 'the Lambda service writes logs' };

describe('grantsOf', () => {
  it('lists each (action, resource) pair of every Allow statement, managed policies included, and no Deny', () => {
    expect(grantsOf(roles[0]!).map(({ action, resource }) => `${action} ${resource}`)).toEqual([
      `dynamodb:GetItem ${TABLE}`,
      `dynamodb:PutItem ${TABLE}`,
      'logs:CreateLogGroup *',
      'logs:CreateLogStream *',
      'logs:PutLogEvents *',
    ]);
  });
});

describe('unusedGrantReport', () => {
  it('reports a grant no call exercised, unless a reason is recorded for it', () => {
    const usage = new UsageRecorder();
    usage.record('FnRole', { action: 'dynamodb:GetItem', resource: TABLE });
    const report = unusedGrantReport(roles, usage, [LOGS]);
    expect(report.unexplained).toEqual([{ role: 'FnRole', action: 'dynamodb:PutItem', resource: TABLE, policy: 'FnRolePolicy0' }]);
    expect(report.explained.map((grant) => grant.action)).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(formatUnusedGrantReport(report)).toContain(`dynamodb:PutItem on ${TABLE} (FnRolePolicy0): NO REASON RECORDED`);
  });

  it('accepts a reason recorded under the function name, and flags reasons that explain nothing any more', () => {
    const usage = new UsageRecorder();
    usage.record('FnRole', { action: 'dynamodb:GetItem', resource: TABLE });
    usage.record('FnRole', { action: 'dynamodb:PutItem', resource: TABLE });
    const stale = { role: 'Fn', action: 'dynamodb:PutItem', resource: TABLE, reason: 'only on the error path' };
    const report = unusedGrantReport(roles, usage, [LOGS, stale]);
    expect(report.unexplained).toEqual([]);
    expect(report.stale).toEqual([stale]);
  });

  it("prefers a reason naming the role, and limits a reason to the policy it names", () => {
    const usage = new UsageRecorder();
    const own = { role: 'Fn', action: 'logs:*', resource: '*', reason: 'the function reason' };
    const inlineOnly = { role: '*', action: 'dynamodb:*', resource: '*', policy: 'arn:aws:iam::aws:policy/*', reason: 'managed only' };
    const report = unusedGrantReport(roles, usage, [LOGS, own, inlineOnly]);
    expect(new Set(report.explained.map((grant) => grant.reason))).toEqual(new Set(['the function reason']));
    expect(report.unexplained.map((grant) => grant.action)).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
  });

  it('counts a wildcard grant as used by any call it covers', () => {
    const usage = new UsageRecorder();
    usage.merge({ FnRole: [{ action: 'logs:CreateLogGroup', resource: 'arn:aws:logs:us-east-1:000000000000:log-group:x' }] });
    const report = unusedGrantReport(roles, usage, []);
    expect(report.unexplained.map((grant) => grant.action)).not.toContain('logs:CreateLogGroup');
  });
});

describe('assertLeastPrivilege', () => {
  it('fails naming each unexplained unused grant and each stale reason, and passes once all is used or explained', () => {
    const usage = new UsageRecorder();
    usage.record('FnRole', { action: 'dynamodb:GetItem', resource: TABLE });
    const stale = { role: 'Fn', action: 'sqs:SendMessage', resource: '*', reason: 'the queue went away long ago' };
    expect(() => assertLeastPrivilege(roles, usage, [LOGS, stale])).toThrow(
      `FnRole: dynamodb:PutItem on ${TABLE} (FnRolePolicy0) was granted but never used\nunused-grants.json: the reason for Fn sqs:SendMessage on * matches no unused grant`,
    );
    usage.record('FnRole', { action: 'dynamodb:PutItem', resource: TABLE });
    expect(assertLeastPrivilege(roles, usage, [LOGS]).explained).toHaveLength(3);
  });
});

describe('unused-grants.json', () => {
  it('gives every entry a role, an action, a resource and a reason', async () => {
    const reasons = await loadUnusedGrantReasons();
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) {
      expect(reason).toEqual({
        role: expect.any(String),
        action: expect.stringMatching(/^[a-z0-9-]+:/),
        resource: expect.any(String),
        ...(reason.policy !== undefined && { policy: expect.any(String) }),
        reason: expect.stringMatching(/^.{20,}$/s),
      });
    }
  });
});
