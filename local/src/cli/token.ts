/**
 * `npm run token -- <email> [password]`: prints only the ID token of a user of the running
 * local cloud (use `npm run -s token -- …` inside `$(…)` so npm prints nothing else).
 */
import { readState, STATE_FILE } from '../cloud/state-file.ts';
import { idTokenFor } from '../seed/sign-in.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const [email, passwordArgument] = process.argv.slice(2);
if (email === undefined) fail('Usage: npm run token -- <email> [password]');

const state = await readState();
if (state === undefined) fail(`The local cloud is not running (no ${STATE_FILE}). Start it with \`npm start\`.`);

const reachable = await fetch(`${state.cognitoEndpoint}/health`, { signal: AbortSignal.timeout(2_000) })
  .then((response) => response.ok)
  .catch(() => false);
if (!reachable) {
  fail(`The local cloud is not running (nothing answers at ${state.cognitoEndpoint}; ${STATE_FILE} is stale). Start it with \`npm start\`.`);
}

try {
  console.log(await idTokenFor(state.cognitoEndpoint, state.clientId, email, passwordArgument ?? state.password, state.region));
} catch (error) {
  const known = state.users.length > 0 ? ` Seeded users: ${state.users.join(', ')}.` : '';
  fail(`Could not sign in ${email}: ${(error as Error).message}.${known}`);
}
