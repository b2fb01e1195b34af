import { execFile, execFileSync } from 'node:child_process';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { describeStackForEnv, stackEnvExports } from './env-stack.ts';

// What `eval "$(npm run -s env)"` does to a shell in stack mode, checked by evaluating the lines
// in a real bash that starts with the local cloud's exports (as a learner's terminal may).

const LOCAL_TERMINAL = {
  PATH: '/usr/bin:/bin',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
  AWS_ENDPOINT_URL_SQS: 'http://localhost:9324',
  AWS_ENDPOINT_URL_S3: 'https://s3.example.com',
  CONTROL: 'http://127.0.0.1:8730/__local',
  API: 'http://127.0.0.1:3000',
  WEB: 'http://127.0.0.1:8750',
};

const OUTPUTS = {
  ApiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev/',
  WebUrl: 'https://d1.cloudfront.net',
  TableName: 'orders-OrdersTable-1',
  UserPoolId: 'eu-west-1_pool',
  UserPoolClientId: 'client1',
};

/** The named variables after evaluating `lines` in bash started with `env` (`<unset>` for unset ones). */
function afterEval(lines: string[], env: Record<string, string>, names: string[]): Record<string, string> {
  const script = `eval "$LINES"; for name in ${names.join(' ')}; do printf '%s=%s\\n' "$name" "\${!name-<unset>}"; done`;
  const output = execFileSync('bash', ['-c', script], { env: { ...env, LINES: lines.join('\n') }, encoding: 'utf8' });
  return Object.fromEntries(output.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('stackEnvExports', () => {
  it("points a terminal that has the local cloud's exports at the deployed stack", () => {
    const { lines, note } = stackEnvExports({ stackName: 'orders-dev', region: 'eu-west-1', outputs: OUTPUTS, env: LOCAL_TERMINAL, repositoryRoot: '/repo' });
    const names = ['TEST_STACK', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'API', 'WEB', 'TABLE', 'USER_POOL_ID', 'CLIENT_ID', 'CONTROL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_S3', 'PATH'];
    expect(afterEval(lines, LOCAL_TERMINAL, names)).toEqual({
      TEST_STACK: 'orders-dev',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      API: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev',
      WEB: 'https://d1.cloudfront.net',
      TABLE: 'orders-OrdersTable-1',
      USER_POOL_ID: 'eu-west-1_pool',
      CLIENT_ID: 'client1',
      CONTROL: '<unset>',
      AWS_ACCESS_KEY_ID: '<unset>',
      AWS_SECRET_ACCESS_KEY: '<unset>',
      AWS_ENDPOINT_URL_DYNAMODB: '<unset>',
      AWS_ENDPOINT_URL_SQS: '<unset>',
      // Not the local cloud's: someone set it on purpose.
      AWS_ENDPOINT_URL_S3: 'https://s3.example.com',
      // The venv first, once (the shell may add its own directories to the rest).
      PATH: expect.stringMatching(/^\/repo\/\.venv\/bin:(?!.*\.venv).*\/usr\/bin:\/bin$/),
    });
    expect(note).toBe('Stack mode: the variables of stack orders-dev in eu-west-1. (unset TEST_STACK for the local cloud)');
  });

  it('keeps real credentials, and unsets the stack variables while the stack does not exist yet', () => {
    const terminal = { PATH: '/bin', AWS_ACCESS_KEY_ID: 'AKIAREAL', AWS_SECRET_ACCESS_KEY: 'secret', API: 'http://127.0.0.1:3000' };
    const { lines, note } = stackEnvExports({ stackName: 'orders-dev', region: 'eu-west-1', outputs: undefined, env: terminal, repositoryRoot: '/repo' });
    expect(afterEval(lines, terminal, ['AWS_ACCESS_KEY_ID', 'API', 'WEB', 'TEST_STACK'])).toEqual({ AWS_ACCESS_KEY_ID: 'AKIAREAL', API: '<unset>', WEB: '<unset>', TEST_STACK: 'orders-dev' });
    expect(note).toMatch(/^Stack mode: orders-dev is not deployed in eu-west-1 yet; run this again after sam deploy/);
  });
});

describe('describeStackForEnv', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  afterEach(() => cloudFormation.reset());

  it("reads the stack's outputs, or none for a stack that does not exist", async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'orders-dev' }).resolves({
      Stacks: [{ StackName: 'orders-dev', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: [{ OutputKey: 'ApiUrl', OutputValue: OUTPUTS.ApiUrl }] }],
    });
    expect(await describeStackForEnv('orders-dev', {})).toEqual({ region: 'us-east-1', outputs: { ApiUrl: OUTPUTS.ApiUrl } });
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id orders-dev does not exist'), { name: 'ValidationError' }));
    expect(await describeStackForEnv('orders-dev', {})).toEqual({ region: 'us-east-1', outputs: undefined });
  });

  it('says what went wrong in one line otherwise', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('The security token included in the request is invalid.'), { name: 'InvalidClientTokenId' }));
    await expect(describeStackForEnv('orders-dev', {})).rejects.toThrow(
      'could not read stack orders-dev in us-east-1: InvalidClientTokenId: The security token included in the request is invalid. (aws sts get-caller-identity shows whether your credentials work)',
    );
  });
});

describe('npm run env with TEST_STACK', () => {
  it('needs no local cloud, and makes `eval` fail with a one-line reason when it cannot read the stack', async () => {
    // No region anywhere (no profile files either), so nothing is sent.
    const env = { PATH: process.env.PATH, TEST_STACK: 'orders-dev', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', LOCAL_CLOUD_STATE_FILE: '/nonexistent/state.json' };
    const result = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', 'local/src/cli/env.ts'], { env, timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(error) : resolve({ stdout, stderr })));
    });
    expect(result).toEqual({
      stdout: 'false\n',
      stderr: 'npm run env (stack mode, TEST_STACK=orders-dev): no AWS region: set AWS_REGION (or use a profile with a region), then run this again\n',
    });
  });
});
