import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readState, REPOSITORY_ROOT, type LocalCloudState } from '#local/cloud/state-file.ts';
import { createCheckpointContext } from '../../workshop/checkpoints/context.ts';
import { checkpointFiles } from '../../workshop/checkpoints/registry.ts';

/** `npm run env` and `npm run checkpoint` as a learner runs them, against the workshop's cloud and against none. */
const execFileAsync = promisify(execFile);

async function npmRun(script: string, args: string[], stateFile: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return execFileAsync('npm', ['run', '-s', script, '--', ...args], { cwd: REPOSITORY_ROOT, env: { ...process.env, LOCAL_CLOUD_STATE_FILE: stateFile, NO_COLOR: '1', ...env } })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));
}

let state: LocalCloudState;
let scratch: string;
beforeAll(async () => {
  state = (await readState(inject('workshopStateFile')))!;
  scratch = await mkdtemp(join(tmpdir(), 'workshop-cli-test-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('npm run env', () => {
  it('prints export lines for the running cloud, which a shell can eval', async () => {
    const { code, stdout } = await npmRun('env', [], inject('workshopStateFile'));
    expect(code).toBe(0);
    expect(stdout).toContain(`export API=${state.apiUrl}\n`);
    const { stdout: evaluated } = await execFileAsync('bash', ['-c', `${stdout}\nprintf '%s\\n' "$API" "$TABLE" "$AWS_ENDPOINT_URL_DYNAMODB" "$(command -v aws)"`]);
    expect(evaluated).toBe(`${state.apiUrl}\n${state.tableNames.OrdersTable}\n${state.dynamoDbEndpoint}\n${join(REPOSITORY_ROOT, '.venv', 'bin', 'aws')}\n`);
  });

  it('says in one line that no cloud runs when there is no state file, or one nobody answers', async () => {
    const missing = join(scratch, 'none.json');
    expect(await npmRun('env', [], missing)).toEqual({ code: 1, stdout: '', stderr: `The local cloud is not running (no ${missing}). Start it with \`npm start\`.\n` });
    const stale = join(scratch, 'stale.json');
    await writeFile(stale, JSON.stringify({ ...state, cognitoEndpoint: 'http://127.0.0.1:9' }));
    const result = await npmRun('env', [], stale);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/^The local cloud is not running \(nothing answers at http:\/\/127\.0\.0\.1:9; .+ is stale\)\. Start it with `npm start`\.\n$/);
  });
});

describe('npm run env with TEST_STACK', () => {
  // The local cloud's CloudFormation DescribeStacks stands in for AWS: any key but the dummy `test`, which the command drops.
  const asStack = (stack: string) => ({ TEST_STACK: stack, AWS_ENDPOINT_URL_CLOUDFORMATION: state.cloudFormationEndpoint, AWS_ACCESS_KEY_ID: 'workshop', AWS_SECRET_ACCESS_KEY: 'workshop' });

  it("prints the stack's outputs and drops the local endpoints", async () => {
    const { code, stdout } = await npmRun('env', [], join(scratch, 'none.json'), asStack(state.stackName));
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('unset AWS_ENDPOINT_URL_DYNAMODB AWS_ENDPOINT_URL_SQS AWS_ENDPOINT_URL_SNS AWS_ENDPOINT_URL_SFN AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER CONTROL');
    expect(lines).toEqual(expect.arrayContaining([`export API=${state.apiUrl.replace(/\/+$/, '')}`, `export TABLE=${state.tableNames.OrdersTable}`, `export CLIENT_ID=${state.clientId}`, `export AWS_REGION=${state.region}`]));
  });

  it('says on stderr that a stack is not deployed yet, and prints what it can', async () => {
    const { code, stdout, stderr } = await npmRun('env', [], join(scratch, 'none.json'), asStack('not-deployed'));
    expect(code).toBe(0);
    expect(stdout).toContain('unset API WEB TABLE USER_POOL_ID CLIENT_ID\n');
    expect(stderr).toMatch(/^Stack not-deployed is not deployed in us-east-1 yet: .+\n$/);
  });
});

describe('npm run checkpoint', () => {
  it('finds each module by its file name', () => {
    const files = checkpointFiles();
    expect(files.get(0)).toBe(join(REPOSITORY_ROOT, 'workshop', 'checkpoints', '00.ts'));
    expect(files.get(1)).toBe(join(REPOSITORY_ROOT, 'workshop', 'checkpoints', '01.ts'));
    expect([...files.keys()]).toEqual([...files.keys()].sort((a, b) => a - b));
  });

  it('prints ✓ and exits 0 when the module is done', async () => {
    expect(await npmRun('checkpoint', ['0'], inject('workshopStateFile'))).toMatchObject({ code: 0, stdout: expect.stringMatching(/^✓ Module 0: .+\n$/) });
  });

  it('prints ✗ with the reason in one line and exits 1 when no cloud runs', async () => {
    const missing = join(scratch, 'none.json');
    expect(await npmRun('checkpoint', ['1'], missing)).toMatchObject({
      code: 1,
      stdout: `✗ Module 1: the local cloud is not running (no ${missing}). Start it with \`npm start\`.\n`,
    });
  });

  it('refuses an unknown module or a missing one in one line', async () => {
    const unknown = await npmRun('checkpoint', ['42'], inject('workshopStateFile'));
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^No checkpoint for module 42: the modules with one are 0, 1\b.*\.\n$/) });
    const none = await npmRun('checkpoint', [], inject('workshopStateFile'));
    expect(none).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^Usage: npm run checkpoint -- <module> .*\n$/) });
    const noStack = await npmRun('checkpoint', ['7', '--stack'], inject('workshopStateFile'));
    expect(noStack).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^Usage: npm run checkpoint -- <module> \[--stack <name>\] .*\n$/) });
  });
});

describe('CheckpointContext', () => {
  it('calls the API as a seeded user or without a token, and makes SDK clients for the local endpoints', async () => {
    const context = createCheckpointContext(state);
    try {
      expect((await context.api('/orders')).status).toBe(401);
      const admin = await context.signedIn('admin');
      expect((await admin('/admin/orders?status=PENDING')).status).toBe(200);
      const bob = await context.signedIn('bob@example.com');
      const refused = await bob('/orders', { method: 'POST', headers: { 'idempotency-key': 'cli-test' }, body: { items: [] } });
      expect(refused.status).toBe(400);
      const { Table } = await context.client(DynamoDBClient).send(new DescribeTableCommand({ TableName: context.table }));
      expect(Table?.TableName).toBe(state.tableNames.OrdersTable);
      expect(() => context.client(S3Client)).toThrow(/^The local cloud serves no endpoint for S3Client/);
    } finally {
      context.close();
    }
  });
});
