import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseCloudFormationYaml } from '#local/template/cfn-yaml.ts';
import { ROOT, run, venvTool } from './support/tools.ts';

// The pipeline users adopt (docs/operations.md, "The pipeline"): GitHub Actions workflows that
// actionlint finds clean, and a bootstrap template that cfn-lint (with the house rules) and
// checkov find clean and whose roles reach only what each deployment needs.

const ACTIONLINT = path.join(ROOT, '.tools', 'bin', 'actionlint');
const BOOTSTRAP = path.join(ROOT, 'pipeline', 'bootstrap.yaml');

type Json = Record<string, any>;
const workflow = (name: string): Json => parse(readFileSync(path.join(ROOT, '.github', 'workflows', name), 'utf8')) as Json;
const bootstrap = parseCloudFormationYaml(readFileSync(BOOTSTRAP, 'utf8')) as Json;
const statementsOf = (policy: string): Json[] => bootstrap.Resources[policy].Properties.PolicyDocument.Statement as Json[];
const samconfig = readFileSync(path.join(ROOT, 'samconfig.toml'), 'utf8');
const stackOf = (environment: string) => new RegExp(`\\[${environment}\\.global\\.parameters\\]\\nstack_name = "([^"]+)"`).exec(samconfig)?.[1];

describe('the GitHub Actions workflows', () => {
  it('are clean for actionlint (scripts/go-tools.sh builds it at its pinned version)', () => {
    expect(existsSync(ACTIONLINT), `${ACTIONLINT} is missing: run bash scripts/go-tools.sh`).toBe(true);
    const files = readdirSync(path.join(ROOT, '.github', 'workflows'));
    expect(files.sort()).toEqual(['ci.yml', 'deploy.yml']);
    const result = run(ACTIONLINT, ['-no-color']);
    expect(result.stdout + result.stderr, result.output).toBe('');
    expect(result.status, result.output).toBe(0);
  });

  it('actionlint fails on a broken workflow (the check can fail)', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'actionlint-'));
    const broken = path.join(directory, 'broken.yml');
    writeFileSync(broken, 'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n');
    try {
      const result = run(ACTIONLINT, ['-no-color', broken]);
      expect(result.status).not.toBe(0);
      expect(result.stdout, result.output).toMatch(/property "nope" is not defined/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('pull requests run the test suite (.ci/run) with no AWS credentials', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toContain('pull_request');
    expect(ci.permissions).toEqual({ contents: 'read' });
    const steps = ci.jobs.test.steps as Json[];
    expect(steps.map((step) => step.run).filter(Boolean)).toEqual(['bash .ci/run']);
    expect(JSON.stringify(ci)).not.toMatch(/configure-aws-credentials|id-token/);
  });

  it('main validates and builds once, deploys dev, tests it end to end, then production behind its environment', () => {
    const deploy = workflow('deploy.yml');
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(deploy.permissions).toEqual({ contents: 'read' });
    const { build, 'deploy-dev': dev, 'deploy-prod': prod } = deploy.jobs as Record<string, Json>;
    const runs = (job: Json) => (job.steps as Json[]).map((step) => step.run ?? step.uses).join('\n');
    expect(runs(build!)).toMatch(/sam validate --lint[\s\S]*sam build/);
    expect(build!.permissions).toBeUndefined();

    expect(dev!.needs).toBe('build');
    expect(dev!.environment.name).toBe('dev');
    expect(runs(dev!)).toMatch(/configure-aws-credentials[\s\S]*sam deploy --config-env dev[\s\S]*npm run test:stack -- --stack "\$DEV_STACK"/);
    expect(prod!.needs).toBe('deploy-dev');
    expect(prod!.environment.name).toBe('production');
    expect(runs(prod!)).toMatch(/configure-aws-credentials[\s\S]*sam deploy --config-env prod/);
    for (const job of [dev!, prod!]) {
      // Only the deploy jobs may ask GitHub for an OIDC token.
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      const credentials = (job.steps as Json[]).find((step) => String(step.uses).startsWith('aws-actions/configure-aws-credentials@'));
      expect(credentials?.with['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
      expect(runs(job)).toMatch(/--no-resolve-s3 --s3-bucket "\$ARTIFACTS_BUCKET" --role-arn "\$CLOUDFORMATION_ROLE_ARN"/);
    }
    // The stacks the workflow names are samconfig.toml's, and the bootstrap's defaults.
    expect([deploy.env.DEV_STACK, deploy.env.PROD_STACK]).toEqual([stackOf('dev'), stackOf('prod')]);
    expect([bootstrap.Parameters.DevStackName.Default, bootstrap.Parameters.ProdStackName.Default]).toEqual([stackOf('dev'), stackOf('prod')]);
    expect([bootstrap.Parameters.DevEnvironment.Default, bootstrap.Parameters.ProdEnvironment.Default]).toEqual(['dev', 'production']);
  });
});

describe('pipeline/bootstrap.yaml', () => {
  it('is clean for cfn-lint, house rules included', () => {
    const result = run(venvTool('cfn-lint'), ['--format', 'parseable', '--', BOOTSTRAP]);
    expect(result.stdout + result.stderr, result.output).toBe('');
    expect(result.status, result.output).toBe(0);
  });

  it('is clean for checkov (its one accepted finding skipped on the resource, with the reason)', () => {
    const result = run(venvTool('checkov'), ['-f', BOOTSTRAP, '--framework', 'cloudformation', '--skip-download', '--compact', '--quiet']);
    expect(result.status, result.output).toBe(0);
    const skipped = bootstrap.Resources.ArtifactsBucket.Metadata.checkov.skip as Json[];
    expect(skipped.map((skip) => skip.id)).toEqual(['CKV_AWS_18']);
    expect(skipped.every((skip) => String(skip.comment).length > 20)).toBe(true);
  });

  it('creates GitHub’s OIDC provider only when the account has none', () => {
    expect(bootstrap.Conditions.CreateOidcProvider).toEqual({ 'Fn::Equals': [{ Ref: 'ExistingGitHubOidcProviderArn' }, ''] });
    expect(bootstrap.Resources.GitHubOidcProvider).toMatchObject({
      Condition: 'CreateOidcProvider',
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
    });
  });

  it.each([
    ['DevDeployRole', 'DevEnvironment', 'DevStackName'],
    ['ProdDeployRole', 'ProdEnvironment', 'ProdStackName'],
  ])('%s: only jobs of its GitHub environment in this repository may assume it, for its stack', (role, environment, stack) => {
    const properties = bootstrap.Resources[role].Properties as Json;
    const [statement, ...others] = properties.AssumeRolePolicyDocument.Statement as Json[];
    expect(others).toEqual([]);
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: { 'Fn::If': ['CreateOidcProvider', { Ref: 'GitHubOidcProvider' }, { Ref: 'ExistingGitHubOidcProviderArn' }] } },
    });
    // StringEquals, not StringLike: no wildcard in the subject.
    expect(statement!.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': { 'Fn::Sub': `repo:\${GitHubOwner}/\${GitHubRepository}:environment:\${${environment}}` },
      },
    });
    expect(properties.ManagedPolicyArns).toEqual([{ Ref: 'DeployPolicy' }]);
    expect(properties.Tags).toEqual([{ Key: 'stack-name', Value: { Ref: stack } }]);
  });

  it('the deploy roles run change sets on their own stack, write its artifacts and pass its execution role to CloudFormation: nothing else', () => {
    const statements = statementsOf('DeployPolicy');
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => !action.startsWith('cloudformation:')).sort()).toEqual(['iam:PassRole', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    for (const statement of statements) {
      expect(statement.Resource, statement.Sid).not.toBe('*');
      expect(statement.Effect).toBe('Allow');
    }
    const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    expect(bySid.ChangeSetsOnItsStack!.Resource['Fn::Sub']).toMatch(/:stack\/\$\{!aws:PrincipalTag\/stack-name\}\/\*$/);
    expect(bySid.SamTransform!.Resource['Fn::Sub']).toMatch(/:aws:transform\/Serverless-2016-10-31$/);
    expect(bySid.PassItsExecutionRoleToCloudFormation).toMatchObject({
      Resource: { 'Fn::Sub': expect.stringMatching(/:role\/cloudformation-\$\{!aws:PrincipalTag\/stack-name\}$/) },
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    });
  });

  it('each stack’s CloudFormation execution role trusts CloudFormation only and is named outside its stack’s `<stack>-*` grants', () => {
    for (const [role, stack] of [['DevCloudFormationRole', 'DevStackName'], ['ProdCloudFormationRole', 'ProdStackName']] as const) {
      const properties = bootstrap.Resources[role].Properties as Json;
      expect(properties.RoleName).toEqual({ 'Fn::Sub': `cloudformation-\${${stack}}` });
      expect(properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudformation.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
      expect(properties.Tags).toEqual([{ Key: 'stack-name', Value: { Ref: stack } }]);
    }
    // The execution role creates roles and passes them only under its stack's name.
    const statements = statementsOf('CloudFormationExecutionPolicy');
    for (const sid of ['FunctionRoles', 'PassItsRoles']) {
      const statement = statements.find((candidate) => candidate.Sid === sid)!;
      expect(statement.Resource['Fn::Sub']).toMatch(/:role\/\$\{!aws:PrincipalTag\/stack-name\}-\*$/);
    }
    // '*' only where E9002 allows it (actions without resource-level permissions).
    const wildcards = statements.filter((statement) => statement.Resource === '*').flatMap((statement) => [statement.Action].flat());
    expect(wildcards.sort()).toEqual([
      'cognito-idp:CreateUserPool',
      'kms:CreateKey',
      'lambda:CreateEventSourceMapping',
      'logs:CreateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:DeleteQueryDefinition',
      'logs:DescribeLogGroups',
      'logs:DescribeQueryDefinitions',
      'logs:DescribeResourcePolicies',
      'logs:GetLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutQueryDefinition',
      'logs:PutResourcePolicy',
      'logs:UpdateLogDelivery',
    ]);
  });
});
