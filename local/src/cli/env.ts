/**
 * `npm run env`: the running local cloud's endpoints and the AWS settings that reach it, as
 * `export` lines (env-exports.ts). `eval "$(npm run -s env)"` sets them in a terminal; every
 * workshop page starts with it.
 *
 * With TEST_STACK set (workshop modules 7–9), the variables of that deployed stack instead, and
 * the local cloud's settings unset (env-stack.ts); no local cloud is needed.
 */
import { readState, REPOSITORY_ROOT, STATE_FILE } from '../cloud/state-file.ts';
import { envExports } from './env-exports.ts';
import { describeStackForEnv, stackEnvExports } from './env-stack.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

if (process.argv.length > 2) fail('Usage: npm run env   (eval "$(npm run -s env)" sets the variables in your shell; with TEST_STACK=<stack> those of your deployed stack)');

const stackName = process.env.TEST_STACK?.trim();
if (stackName) {
  const environment = { ...process.env };
  try {
    const { region, outputs } = await describeStackForEnv(stackName, environment);
    const { lines, note } = stackEnvExports({ stackName, region, outputs, env: environment, repositoryRoot: REPOSITORY_ROOT.replace(/\/+$/, '') });
    console.error(note);
    console.log(lines.join('\n'));
  } catch (error) {
    console.error(`npm run env (stack mode, TEST_STACK=${stackName}): ${(error as Error).message}`);
    // For eval: a failed status, so that a step run with `set -e` stops here.
    console.log('false');
  }
  process.exit(0);
}

const state = await readState();
if (state === undefined) fail(`The local cloud is not running (no ${STATE_FILE}). Start it with \`npm start\`.`);

const reachable = await fetch(`${state.cognitoEndpoint}/health`, { signal: AbortSignal.timeout(2_000) })
  .then((response) => response.ok)
  .catch(() => false);
if (!reachable) fail(`The local cloud is not running (nothing answers at ${state.cognitoEndpoint}; ${STATE_FILE} is stale). Start it with \`npm start\`.`);

console.log(envExports(state, REPOSITORY_ROOT.replace(/\/+$/, '')).join('\n'));
