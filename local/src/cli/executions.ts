/**
 * `npm run executions -- <orderId>`: the fulfilment saga of one order in the running local
 * cloud (executions are named after their order): status, the state it is in now, and its
 * history, through the local Step Functions endpoint recorded in .local-cloud/state.json.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { readState, STATE_FILE } from '../cloud/state-file.ts';
import { fetchExecutionsForOrder, formatExecutionReports } from '../stepfunctions/executions.ts';
import { LOCAL_CREDENTIALS } from '../core/aws-account.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const [orderId, ...rest] = process.argv.slice(2);
if (orderId === undefined || rest.length > 0) fail('Usage: npm run executions -- <orderId>');

const state = await readState();
if (state === undefined) fail(`The local cloud is not running (no ${STATE_FILE}). Start it with \`npm start\`.`);
if (typeof state.sfnEndpoint !== 'string') fail(`${STATE_FILE} was written by an older local cloud. Restart \`npm start\`.`);

const client = new SFNClient({
  endpoint: state.sfnEndpoint,
  region: state.region,
  credentials: LOCAL_CREDENTIALS,
  maxAttempts: 1,
});
try {
  const reports = await fetchExecutionsForOrder(client, orderId);
  console.log(formatExecutionReports(orderId, reports));
} catch (error) {
  fail(`The local Step Functions endpoint at ${state.sfnEndpoint} did not answer (${(error as Error).message}). Is \`npm start\` running?`);
} finally {
  client.destroy();
}
