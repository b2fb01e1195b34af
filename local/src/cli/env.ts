/**
 * `npm run env`: the running local cloud's endpoints and the AWS settings that reach it, as
 * `export` lines (env-exports.ts). `eval "$(npm run -s env)"` sets them in a terminal; every
 * workshop page starts with it.
 *
 * With TEST_STACK naming a deployed stack (the variable `npm run test:stack` reads; workshop
 * modules 7–9), it prints the settings for that stack in AWS instead: no local endpoints or
 * dummy key, the region, and the stack's outputs (API, WEB, TABLE, ...) once it is deployed.
 * TEST_STACK_LOCAL=1 (the local cloud reached as a stack) keeps the local settings.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { readState, REPOSITORY_ROOT, STATE_FILE } from '../cloud/state-file.ts';
import { envExports, LOCAL_ENDPOINT_VARIABLES, stackEnvExports } from './env-exports.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

if (process.argv.length > 2) fail('Usage: npm run env   (eval "$(npm run -s env)" sets the variables in your shell)');

const repositoryRoot = REPOSITORY_ROOT.replace(/\/+$/, '');
const stackName = process.env.TEST_STACK?.trim();
if (stackName && process.env.TEST_STACK_LOCAL !== '1') {
  console.log((await stackExports(stackName)).join('\n'));
} else {
  const state = await readState();
  if (state === undefined) fail(`The local cloud is not running (no ${STATE_FILE}). Start it with \`npm start\`.`);
  const reachable = await fetch(`${state.cognitoEndpoint}/health`, { signal: AbortSignal.timeout(2_000) })
    .then((response) => response.ok)
    .catch(() => false);
  if (!reachable) fail(`The local cloud is not running (nothing answers at ${state.cognitoEndpoint}; ${STATE_FILE} is stale). Start it with \`npm start\`.`);
  console.log(envExports(state, repositoryRoot).join('\n'));
}

async function stackExports(stack: string): Promise<string[]> {
  // What an earlier `eval "$(npm run -s env)"` for the local cloud left in this shell must not
  // point this lookup at the local cloud, nor sign it with the dummy key.
  for (const variable of LOCAL_ENDPOINT_VARIABLES) delete process.env[variable];
  const dummyKey = process.env.AWS_ACCESS_KEY_ID === 'test';
  if (dummyKey) {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  }
  const cloudFormation = new CloudFormationClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 } });
  try {
    const region = await cloudFormation.config.region().catch(() => undefined);
    if (!region) fail('No AWS region: set AWS_REGION (or use a profile with a region), then run npm run env again.');
    const outputs = await cloudFormation
      .send(new DescribeStacksCommand({ StackName: stack }))
      .then(({ Stacks }) => Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? ''])))
      .catch((error: Error) => {
        if (error.name === 'ValidationError' && /does not exist/.test(error.message)) {
          console.error(`Stack ${stack} is not deployed in ${region} yet: API, WEB, TABLE, USER_POOL_ID and CLIENT_ID follow once it is (run npm run env again after sam deploy).`);
          return undefined;
        }
        const reason = error.name === 'CredentialsProviderError' ? 'no AWS credentials (aws configure, aws sso login, or AWS_PROFILE)' : `${error.name}: ${error.message.split('\n')[0]}`;
        fail(`Cannot read stack ${stack} in ${region}: ${reason}.`);
      });
    return stackEnvExports({ region, outputs, dummyKey, repositoryRoot });
  } finally {
    cloudFormation.destroy();
  }
}
