/**
 * `npm run trail -- <orderId|correlationId>`: one order's story in the running local cloud,
 * oldest first: every line any function logged that mentions the id (time, level, function,
 * message, event type, order id, correlation id), from the cloud's function log file, then the saga
 * executions of the orders it names (as `npm run executions` prints them). The same story the
 * order-trail Logs Insights query tells in AWS (docs/operations.md).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { readFunctionLogFile } from '../cloud/function-log-file.ts';
import { formatTrail, orderIdsOf, trailOf } from '../cloud/order-trail.ts';
import { readState, STATE_FILE } from '../cloud/state-file.ts';
import { LOCAL_CREDENTIALS } from '../core/aws-account.ts';
import { fetchExecutionsForOrder, formatExecutionReports } from '../stepfunctions/executions.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const [id, ...rest] = process.argv.slice(2);
if (id === undefined || id.trim() === '' || rest.length > 0) fail('Usage: npm run trail -- <orderId|correlationId>');

const state = await readState();
if (state === undefined) fail(`The local cloud is not running (no ${STATE_FILE}). Start it with \`npm start\`.`);
if (typeof state.functionLogFile !== 'string') fail(`${STATE_FILE} names no function log file: it was written by an older local cloud. Restart \`npm start\`.`);

const trail = trailOf(await readFunctionLogFile(state.functionLogFile).catch(() => []), id);
if (trail.length === 0) fail(`No function logged anything mentioning ${id} (${state.functionLogFile}).`);
console.log(formatTrail(trail));

const client = new SFNClient({ endpoint: state.sfnEndpoint, region: state.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
try {
  for (const orderId of orderIdsOf(trail)) {
    const reports = await fetchExecutionsForOrder(client, orderId);
    if (reports.length > 0) console.log(`\n${formatExecutionReports(orderId, reports)}`);
  }
} catch (error) {
  fail(`The local Step Functions endpoint at ${state.sfnEndpoint} did not answer (${(error as Error).message}). Is \`npm start\` running?`);
} finally {
  client.destroy();
}
