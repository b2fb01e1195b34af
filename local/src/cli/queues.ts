/**
 * `npm run queues`: depth of every queue of the running local cloud (visible / in flight /
 * delayed) and the messages waiting in its dead-letter queues.
 * `npm run queues -- redrive <DLQ>`: moves a dead-letter queue's messages back to their source
 * queue with StartMessageMoveTask, as the console's "Start DLQ redrive" does.
 *
 * Everything goes through the local SQS endpoint recorded in .local-cloud/state.json.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { bold, dim } from '../cloud/local-cloud-log.ts';
import { readState, STATE_FILE } from '../cloud/state-file.ts';
import {
  bodyPreview,
  findQueue,
  peekMessages,
  QueueInspectionError,
  queueDepths,
  redriveDeadLetterQueue,
} from '../sqs/queue-inspection.ts';
import type { QueueSummary } from '../cloud/queue-summary.ts';
import { LOCAL_CREDENTIALS } from '../core/aws-account.ts';

const USAGE = 'Usage: npm run queues                      depths and dead letters\n       npm run queues -- redrive <DLQ>     move a dead-letter queue back to its source queue';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const [command, argument, ...rest] = process.argv.slice(2);
if (rest.length > 0 || (command !== undefined && command !== 'redrive') || (command === 'redrive' && argument === undefined)) fail(USAGE);

const state = await readState();
if (state === undefined) fail(`The local cloud is not running (no ${STATE_FILE}). Start it with \`npm start\`.`);
if (typeof state.sqsEndpoint !== 'string' || typeof state.queues !== 'object') {
  fail(`${STATE_FILE} was written by an older local cloud without queues. Restart \`npm start\`.`);
}
const { sqsEndpoint, region, timeScale = 1 } = state;
const queues = Object.values(state.queues);
const client = new SQSClient({
  endpoint: sqsEndpoint,
  region,
  credentials: LOCAL_CREDENTIALS,
  maxAttempts: 1,
});

try {
  if (command === 'redrive') await redrive(argument!);
  else await show();
} catch (error) {
  if (error instanceof QueueInspectionError) fail(error.message);
  if (isConnectionError(error)) {
    fail(`The local cloud is not running (nothing answers at ${sqsEndpoint}; ${STATE_FILE} is stale). Start it with \`npm start\`.`);
  }
  fail(`The local SQS endpoint refused: ${(error as Error).message}`);
} finally {
  client.destroy();
}

async function show(): Promise<void> {
  const depths = await queueDepths(client, queues);
  const nameWidth = Math.max(5, ...queues.map((queue) => queue.logicalId.length));
  const row = (cells: string[]) => `  ${cells[0]!.padEnd(nameWidth)}  ${cells.slice(1, 4).map((cell) => cell.padStart(11)).join('')}  ${cells[4] ?? ''}`;
  const scale = timeScale === 1 ? '' : dim(` (queue time ×${1 / timeScale}, LOCAL_CLOUD_TIME_SCALE=${timeScale})`);
  console.log(`${bold('Queues')} ${dim(`on ${sqsEndpoint}`)}${scale}`);
  console.log(dim(row(['QUEUE', 'VISIBLE', 'IN FLIGHT', 'DELAYED', 'ROLE'])));
  for (const queue of queues) {
    const depth = depths.find((candidate) => candidate.logicalId === queue.logicalId)!;
    console.log(row([queue.logicalId, String(depth.visible), String(depth.inFlight), String(depth.delayed), role(queue)]));
  }

  const deadLetterQueues = queues.filter((queue) => queue.deadLetterFor.length > 0);
  for (const queue of deadLetterQueues) {
    const depth = depths.find((candidate) => candidate.logicalId === queue.logicalId)!;
    if (depth.visible + depth.inFlight === 0) continue;
    console.log(`\n${bold(queue.logicalId)} ${dim(`(${depth.visible} visible, ${depth.inFlight} in flight)`)}`);
    const messages = await peekMessages(client, queue);
    for (const message of messages) {
      const source = message.sourceQueueArn === undefined ? '' : ` from ${message.sourceQueueArn.split(':').at(-1)}`;
      console.log(`  ${message.messageId}  ${dim(`receive count ${message.receiveCount}${source}`)}`);
      console.log(`    ${bodyPreview(message.body)}`);
    }
    if (depth.visible > messages.length) console.log(dim(`  … and ${depth.visible - messages.length} more`));
    if (queue.deadLetterFor.some((source) => source.kind === 'queue')) console.log(dim(`  Redrive: npm run queues -- redrive ${queue.logicalId}`));
  }
  if (deadLetterQueues.length > 0) {
    console.log(dim('\nListing a dead-letter queue receives its messages (visibility timeout 0), like the console\'s "Poll for messages": each listing adds one to their receive count.'));
  }
}

async function redrive(name: string): Promise<void> {
  const queue = findQueue(queues, name);
  if (queue === undefined) fail(`No queue ${name}. Queues: ${queues.map((candidate) => candidate.logicalId).join(', ')}`);
  const result = await redriveDeadLetterQueue(client, queue, queues);
  const left = result.remaining > 0 ? ` ${result.remaining} stayed (in flight, or without a source queue).` : '';
  console.log(`Moved ${result.moved} message${result.moved === 1 ? '' : 's'} from ${queue.logicalId} back to ${result.destinations.join(', ')}.${left}`);
}

function role(queue: QueueSummary): string {
  const roles = queue.deadLetterFor.map((source) =>
    source.kind === 'queue'
      ? `DLQ of ${source.logicalId}`
      : source.kind === 'subscription'
        ? `delivery DLQ of ${source.logicalId}`
        : `on-failure destination of ${source.logicalId}`,
  );
  if (queue.deadLetterQueue !== undefined) {
    roles.push(`→ ${queue.deadLetterQueue.logicalId} after ${queue.deadLetterQueue.maxReceiveCount} receives`);
  }
  return dim(roles.join('; '));
}

function isConnectionError(error: unknown): boolean {
  const text = `${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? ''} ${String((error as { cause?: unknown })?.cause ?? '')}`;
  return /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|socket hang up|TimeoutError/i.test(text);
}
