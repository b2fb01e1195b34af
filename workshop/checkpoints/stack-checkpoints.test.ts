import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudFormationClient,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ListStacksCommand,
  type Stack,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import { BatchGetDeploymentsCommand, CodeDeployClient, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import deployCheckpoint from './07.ts';
import releaseCheckpoint from './08.ts';
import cleanUpCheckpoint from './09.ts';
import { runStackCheck, type StackCheckpointResult } from './aws-stack.ts';

// The checkpoints of modules 7–9 against a stack that exists only here: the AWS SDK clients are
// mocked (aws-sdk-client-mock; no call leaves the process), the API and the web app's files are
// served by a small HTTP server on 127.0.0.1, as a deployed stack's would be.

const cloudFormation = mockClient(CloudFormationClient);
const codeDeploy = mockClient(CodeDeployClient);
const dynamoDb = mockClient(DynamoDBClient);
const cognito = mockClient(CognitoIdentityProviderClient);

const STACK = 'orders-workshop';
const env = { TEST_STACK: STACK };

/** What the fake API and CloudFront answer, per path; tests change it. */
let routes: Record<string, { status: number; body: unknown; headers?: Record<string, string> }>;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const route = routes[request.url ?? ''] ?? { status: 404, body: { message: 'not found' } };
    response.writeHead(route.status, { 'content-type': 'application/json', ...route.headers });
    response.end(JSON.stringify(route.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  for (const client of [cloudFormation, codeDeploy, dynamoDb, cognito]) client.reset();
  routes = {
    '/dev/products': { status: 200, body: { items: [{ productId: 'p-1' }], nextCursor: null } },
    '/web/config.json': { status: 200, body: { apiUrl: `${base}/dev/`, cognito: {} } },
  };
});

function stack(status: StackStatus, outputs: Record<string, string> = {}): Stack {
  const all = { ApiUrl: `${base}/dev/`, WebUrl: `${base}/web`, DeploymentType: 'Canary10Percent5Minutes', ...outputs };
  return {
    StackName: STACK,
    StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}/1`,
    StackStatus: status,
    CreationTime: new Date(),
    Outputs: Object.entries(all).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
  };
}

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });
const noSuchStack = awsError('ValidationError', `Stack with id ${STACK} does not exist`);

function expectOneLineFailure(result: StackCheckpointResult, pattern: RegExp): void {
  expect(result).toEqual({ ok: false, reason: expect.stringMatching(pattern) });
  expect(result.ok ? '' : result.reason).not.toContain('\n');
}

describe('checkpoint 7: the stack is deployed, its API answers, the web app uses it', () => {
  it('passes for a settled stack whose API lists products and whose web app is configured for it', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves({ Stacks: [stack('CREATE_COMPLETE')] });
    const result = await deployCheckpoint(undefined, env);
    expect(result).toEqual({ ok: true, summary: expect.stringMatching(/^stack orders-workshop is CREATE_COMPLETE in us-east-1; GET \/products answers 200 \(1 products\); the web app at .* uses this API$/) });
  });

  it('asks for the stack name when TEST_STACK is not set, without calling AWS', async () => {
    expectOneLineFailure(await deployCheckpoint(undefined, {}), /^no stack named: export TEST_STACK=<your stack>/);
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('says so when there is no such stack, or while it is still deploying', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(noSuchStack);
    expectOneLineFailure(await deployCheckpoint(undefined, env), /^there is no stack orders-workshop in us-east-1: deploy it/);
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_IN_PROGRESS')] });
    expectOneLineFailure(await deployCheckpoint(undefined, env), /is UPDATE_IN_PROGRESS: wait until sam deploy has finished/);
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack('ROLLBACK_COMPLETE')] });
    expectOneLineFailure(await deployCheckpoint(undefined, env), /its creation failed .* delete it with sam delete/);
  });

  it('names a stack that is not this project\'s by its missing outputs', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ ...stack('CREATE_COMPLETE'), Outputs: [] }] });
    expectOneLineFailure(await deployCheckpoint(undefined, env), /has no output ApiUrl, WebUrl: is it this project's stack/);
  });

  it('fails on an API that does not list products', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    routes['/dev/products'] = { status: 502, body: { message: 'Internal server error' } };
    expectOneLineFailure(await deployCheckpoint(undefined, env), /^GET .*\/dev\/products answered 502, expected 200/);
  });

  it('sends the learner to web:deploy when the web app is missing or points at another API', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    routes['/web/config.json'] = { status: 403, body: '<Error>AccessDenied</Error>' };
    expectOneLineFailure(await deployCheckpoint(undefined, env), /the web app is not uploaded .*answered 403\): npm run web:deploy -- --stack orders-workshop$/);
    routes['/web/config.json'] = { status: 200, body: { apiUrl: 'https://other.example.com/dev' } };
    expectOneLineFailure(await deployCheckpoint(undefined, env), /calls https:\/\/other.example.com\/dev, not this stack's/);
  });

  it('turns missing or rejected credentials into what to do', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    expectOneLineFailure(await deployCheckpoint(undefined, env), /^no AWS credentials: sign in/);
    cloudFormation.on(DescribeStacksCommand).rejects(awsError('InvalidClientTokenId', 'The security token included in the request is invalid.'));
    expectOneLineFailure(await deployCheckpoint(undefined, env), /^AWS rejected the credentials \(InvalidClientTokenId\)/);
  });
});

describe('checkpoint 8: a canary stopped the bad release, a later one went out', () => {
  const deployment = (deploymentId: string, status: string, minutesAgo: number) => ({ deploymentId, status, createTime: new Date(Date.now() - minutesAgo * 60_000) });

  function givenRelease(status: StackStatus, deployments: ReturnType<typeof deployment>[], outputs: Record<string, string> = {}): void {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack(status, outputs)] });
    cloudFormation
      .on(DescribeStackResourceCommand, { LogicalResourceId: 'ServerlessDeploymentApplication' })
      .resolves({ StackResourceDetail: { PhysicalResourceId: 'orders-app', LogicalResourceId: 'ServerlessDeploymentApplication', ResourceType: 'AWS::CodeDeploy::Application', LastUpdatedTimestamp: new Date(), ResourceStatus: 'CREATE_COMPLETE' } })
      .on(DescribeStackResourceCommand, { LogicalResourceId: 'GetProductFunctionDeploymentGroup' })
      .resolves({ StackResourceDetail: { PhysicalResourceId: 'get-product-group', LogicalResourceId: 'GetProductFunctionDeploymentGroup', ResourceType: 'AWS::CodeDeploy::DeploymentGroup', LastUpdatedTimestamp: new Date(), ResourceStatus: 'UPDATE_COMPLETE' } });
    codeDeploy.on(ListDeploymentsCommand, { applicationName: 'orders-app', deploymentGroupName: 'get-product-group' }).resolves({ deployments: deployments.map((d) => d.deploymentId) });
    codeDeploy.on(BatchGetDeploymentsCommand).callsFake(({ deploymentIds }: { deploymentIds: string[] }) => ({
      deploymentsInfo: deployments.filter((d) => deploymentIds.includes(d.deploymentId)),
    }));
  }

  it('passes when a stopped release is followed by a successful one, whatever the order CodeDeploy lists them in', async () => {
    givenRelease('UPDATE_COMPLETE', [deployment('d-good', 'Succeeded', 2), deployment('d-first', 'Succeeded', 60), deployment('d-bad', 'Stopped', 20)], { DeploymentType: 'AllAtOnce' });
    const result = await releaseCheckpoint(undefined, env);
    expect(result).toEqual({
      ok: true,
      summary: "GetProductFunction's bad release d-bad was stopped and rolled back; d-good succeeded after it; stack orders-workshop is UPDATE_COMPLETE",
    });
  });

  it('asks for the bad release, then the good one', async () => {
    givenRelease('UPDATE_COMPLETE', [deployment('d-first', 'Succeeded', 60)]);
    expectOneLineFailure(await releaseCheckpoint(undefined, env), /no release of GetProductFunction has been stopped and rolled back yet \(1 deployments in get-product-group\): turn the canary on/);
    givenRelease('UPDATE_COMPLETE', [deployment('d-bad', 'Stopped', 5), deployment('d-first', 'Succeeded', 60)]);
    expectOneLineFailure(await releaseCheckpoint(undefined, env), /the bad release was rolled back \(d-bad, Stopped\); now ship the good one/);
    givenRelease('UPDATE_ROLLBACK_COMPLETE', [deployment('d-bad', 'Failed', 5), deployment('d-first', 'Succeeded', 60)]);
    expectOneLineFailure(await releaseCheckpoint(undefined, env), /the bad release was rolled back \(d-bad, Failed\); now ship the good one/);
  });

  it('waits while a canary is still running', async () => {
    givenRelease('UPDATE_IN_PROGRESS', [deployment('d-bad', 'InProgress', 1)]);
    expectOneLineFailure(await releaseCheckpoint(undefined, env), /is UPDATE_IN_PROGRESS: wait until sam deploy has finished/);
  });
});

describe('checkpoint 9: the stack and what it retained are gone', () => {
  const deletedId = `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}/2`;

  function givenDeleted(): void {
    cloudFormation.on(DescribeStacksCommand).rejects(noSuchStack);
    cloudFormation.on(ListStacksCommand).resolves({
      StackSummaries: [
        { StackName: STACK, StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}/1`, StackStatus: 'DELETE_COMPLETE', CreationTime: new Date(0), DeletionTime: new Date(1_000) },
        { StackName: STACK, StackId: deletedId, StackStatus: 'DELETE_COMPLETE', CreationTime: new Date(2_000), DeletionTime: new Date(3_000) },
        { StackName: 'another', StackId: 'arn:other', StackStatus: 'DELETE_COMPLETE', CreationTime: new Date(0), DeletionTime: new Date(5_000) },
      ],
    });
    const resource = (LogicalResourceId: string, PhysicalResourceId: string) => ({
      StackResourceDetail: { LogicalResourceId, PhysicalResourceId, ResourceType: 'x', LastUpdatedTimestamp: new Date(), ResourceStatus: 'DELETE_SKIPPED' as const },
    });
    cloudFormation
      .on(DescribeStackResourceCommand, { StackName: deletedId, LogicalResourceId: 'OrdersTable' })
      .resolves(resource('OrdersTable', 'orders-workshop-OrdersTable-X'))
      .on(DescribeStackResourceCommand, { StackName: deletedId, LogicalResourceId: 'UserPool' })
      .resolves(resource('UserPool', 'us-east-1_pool'));
  }

  it('passes when the newest deleted stack of that name left nothing behind', async () => {
    givenDeleted();
    dynamoDb.on(DescribeTableCommand).rejects(awsError('ResourceNotFoundException', 'Requested resource not found'));
    cognito.on(DescribeUserPoolCommand).rejects(awsError('ResourceNotFoundException', 'User pool us-east-1_pool does not exist.'));
    expect(await cleanUpCheckpoint(undefined, env)).toEqual({
      ok: true,
      summary: 'stack orders-workshop is deleted from us-east-1, and so are its table orders-workshop-OrdersTable-X and user pool us-east-1_pool',
    });
  });

  it('names the retained table or user pool still there, with the command that removes it', async () => {
    givenDeleted();
    dynamoDb.on(DescribeTableCommand).resolves({ Table: { TableName: 'orders-workshop-OrdersTable-X', TableStatus: 'ACTIVE' } });
    expectOneLineFailure(await cleanUpCheckpoint(undefined, env), /kept its table orders-workshop-OrdersTable-X: aws dynamodb delete-table --table-name orders-workshop-OrdersTable-X$/);
    dynamoDb.on(DescribeTableCommand).resolves({ Table: { TableName: 'orders-workshop-OrdersTable-X', TableStatus: 'DELETING' } });
    cognito.on(DescribeUserPoolCommand).resolves({ UserPool: { Id: 'us-east-1_pool' } });
    expectOneLineFailure(await cleanUpCheckpoint(undefined, env), /kept its user pool us-east-1_pool: aws cognito-idp delete-user-pool --user-pool-id us-east-1_pool$/);
  });

  it('fails while the stack exists, is being deleted, or could not be deleted', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack('UPDATE_COMPLETE')] });
    expectOneLineFailure(await cleanUpCheckpoint(undefined, env), /still exists \(UPDATE_COMPLETE\) in us-east-1: sam delete --stack-name orders-workshop$/);
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack('DELETE_IN_PROGRESS')] });
    expectOneLineFailure(await cleanUpCheckpoint(undefined, env), /DELETE_IN_PROGRESS: wait for sam delete/);
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [stack('DELETE_FAILED')] });
    expectOneLineFailure(await cleanUpCheckpoint(undefined, env), /web bucket still holds files/);
  });

  it('passes with a note when CloudFormation has no record of the deleted stack', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(noSuchStack);
    cloudFormation.on(ListStacksCommand).resolves({ StackSummaries: [] });
    expect(await cleanUpCheckpoint(undefined, env)).toEqual({ ok: true, summary: 'stack orders-workshop is gone from us-east-1 (no record of its retained table and user pool to check)' });
  });
});

describe('without AWS, a checkpoint fails in one line and in bounded time', () => {
  it('gives up on a check that never answers at its deadline', async () => {
    const started = Date.now();
    const result = await runStackCheck(() => new Promise<string>(() => undefined), 200);
    expect(result).toEqual({ ok: false, reason: 'AWS did not answer within 0.2 s: check your network, AWS_REGION and credentials (aws sts get-caller-identity)' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports an endpoint that refuses connections, through the real SDK client', async () => {
    cloudFormation.restore();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const previous = process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;
    process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = `http://127.0.0.1:${port}`;
    try {
      const started = Date.now();
      const result = await deployCheckpoint(undefined, env);
      expectOneLineFailure(result, /^could not reach AWS \(connect ECONNREFUSED 127\.0\.0\.1:\d+\): check your network and AWS_REGION$/);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;
      else process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = previous;
      cloudFormation.restore();
    }
  });
});

describe('npm run checkpoint for modules 7–9', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'workshop/checkpoints/run.ts', ...args], { env, timeout: 60_000 }, (error, stdout) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout }),
      );
    });
  // No local cloud, no TEST_STACK, and CloudFormation on a port nobody listens on: nothing can reach AWS.
  const offline = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    LOCAL_CLOUD_STATE_FILE: '/nonexistent/state.json',
  };

  it('needs no local cloud, and asks for the stack when none is named', async () => {
    expect(await run(['7'], offline)).toEqual({ code: 1, stdout: expect.stringMatching(/^✗ Module 7: no stack named: export TEST_STACK=<your stack>.*\n$/) });
  });

  it('takes the stack from --stack, and fails in one line when AWS cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await run(['9', '--stack', 'orders-workshop'], { ...offline, AWS_ENDPOINT_URL_CLOUDFORMATION: `http://127.0.0.1:${port}` });
    expect(result).toEqual({ code: 1, stdout: `✗ Module 9: could not reach AWS (connect ECONNREFUSED 127.0.0.1:${port}): check your network and AWS_REGION\n` });
  });
});
