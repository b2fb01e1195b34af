/**
 * `npm run env`: the running local cloud's endpoints and the AWS settings that reach it, as
 * `export` lines (env-exports.ts). `eval "$(npm run -s env)"` sets them in a terminal; every
 * workshop page starts with it.
 */
import { readState, REPOSITORY_ROOT, STATE_FILE } from '../cloud/state-file.ts';
import { envExports } from './env-exports.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

if (process.argv.length > 2) fail('Usage: npm run env   (eval "$(npm run -s env)" sets the variables in your shell)');

const state = await readState();
if (state === undefined) fail(`The local cloud is not running (no ${STATE_FILE}). Start it with \`npm start\`.`);

const reachable = await fetch(`${state.cognitoEndpoint}/health`, { signal: AbortSignal.timeout(2_000) })
  .then((response) => response.ok)
  .catch(() => false);
if (!reachable) fail(`The local cloud is not running (nothing answers at ${state.cognitoEndpoint}; ${STATE_FILE} is stale). Start it with \`npm start\`.`);

console.log(envExports(state, REPOSITORY_ROOT.replace(/\/+$/, '')).join('\n'));
