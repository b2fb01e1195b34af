import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { LOCAL_CREDENTIALS } from '../core/aws-account.ts';
import { shellQuote, venvPathExport } from './env-exports.ts';

/**
 * `npm run env` in stack mode (TEST_STACK names a deployed stack: workshop modules 7–9, the
 * variable `npm run test:stack` reads): the shell is pointed at AWS instead of the local cloud.
 * It forgets what the local cloud's exports set (its loopback endpoints and dummy key, `CONTROL`),
 * puts the venv's bin first on PATH (its `sam` and `aws`), exports the region the AWS SDK
 * resolves, and the stack's outputs under the names the local exports use (API, WEB, TABLE,
 * USER_POOL_ID, CLIENT_ID), or unsets those while the stack does not exist yet.
 */

/** Output of template.yaml → the variable the workshop pages use (the same as env-exports.ts). */
const FROM_OUTPUTS: ReadonlyArray<[variable: string, output: string]> = [
  ['API', 'ApiUrl'],
  ['WEB', 'WebUrl'],
  ['TABLE', 'TableName'],
  ['USER_POOL_ID', 'UserPoolId'],
  ['CLIENT_ID', 'UserPoolClientId'],
];

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i;

export interface StackEnvInput {
  stackName: string;
  region: string;
  /** The stack's outputs; undefined when there is no such stack (yet). */
  outputs: Record<string, string> | undefined;
  /** The environment `npm run env` runs in: what to unset is read from it. */
  env: NodeJS.ProcessEnv;
  repositoryRoot: string;
}

/** The `unset` and `export` lines for `eval`, and one note for the learner (stderr). */
export function stackEnvExports({ stackName, region, outputs, env, repositoryRoot }: StackEnvInput): { lines: string[]; note: string } {
  const forget = localOnlyVariables(env);
  const fromOutputs = FROM_OUTPUTS.map(([variable, output]) => [variable, outputs?.[output]?.replace(/\/+$/, '')] as const);
  const missing = fromOutputs.filter(([, value]) => !value).map(([variable]) => variable);
  const lines = [
    ...(forget.length + missing.length > 0 ? [`unset ${[...forget, ...missing].join(' ')}`] : []),
    `export TEST_STACK=${shellQuote(stackName)}`,
    `export AWS_REGION=${shellQuote(region)}`,
    `export AWS_DEFAULT_REGION=${shellQuote(region)}`,
    ...fromOutputs.filter((entry): entry is readonly [string, string] => Boolean(entry[1])).map(([variable, value]) => `export ${variable}=${shellQuote(value)}`),
    venvPathExport(join(repositoryRoot, '.venv', 'bin')),
  ];
  const note =
    outputs === undefined
      ? `Stack mode: ${stackName} is not deployed in ${region} yet; run this again after sam deploy for API, WEB, TABLE, USER_POOL_ID, CLIENT_ID. (unset TEST_STACK for the local cloud)`
      : `Stack mode: the variables of stack ${stackName} in ${region}. (unset TEST_STACK for the local cloud)`;
  return { lines, note };
}

/** What the local cloud's exports set that would send AWS calls to it: loopback endpoints, its dummy key, CONTROL. */
function localOnlyVariables(env: NodeJS.ProcessEnv): string[] {
  const endpoints = Object.keys(env).filter((name) => name.startsWith('AWS_ENDPOINT_URL') && LOOPBACK.test(env[name] ?? ''));
  const dummyKey = env.AWS_ACCESS_KEY_ID === LOCAL_CREDENTIALS.accessKeyId && env.AWS_SECRET_ACCESS_KEY === LOCAL_CREDENTIALS.secretAccessKey;
  return [...endpoints.sort(), ...(dummyKey ? ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] : []), ...(env.CONTROL === undefined ? [] : ['CONTROL'])];
}

/**
 * The region and outputs of the stack, asked of CloudFormation with the learner's AWS settings,
 * minus what `localOnlyVariables` would unset (so a terminal that still has the local cloud's
 * exports does not send this call to it).
 */
export async function describeStackForEnv(stackName: string, env: NodeJS.ProcessEnv): Promise<{ region: string; outputs: Record<string, string> | undefined }> {
  for (const name of localOnlyVariables(env)) delete process.env[name];
  const cloudFormation = new CloudFormationClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 } });
  try {
    const region = await cloudFormation.config.region().catch(() => {
      throw new Error('no AWS region: set AWS_REGION (or use a profile with a region), then run this again');
    });
    try {
      const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }), { abortSignal: AbortSignal.timeout(20_000) });
      const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
      return { region, outputs };
    } catch (error) {
      if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return { region, outputs: undefined };
      throw new Error(`could not read stack ${stackName} in ${region}: ${(error as Error).name}: ${(error as Error).message.split('\n')[0]} (aws sts get-caller-identity shows whether your credentials work)`);
    }
  } finally {
    cloudFormation.destroy();
  }
}
