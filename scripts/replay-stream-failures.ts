/**
 * `npm run replay -- <DLQ>`: replays what a DynamoDB stream mapping's on-failure queue holds
 * (docs/operations.md, "Replaying the publisher's failed stream batches").
 *
 *   npm run replay -- OrderEventsPublisherDLQ          the running local cloud (`npm start`)
 *   npm run replay -- https://sqs.<region>.amazonaws.com/<account>/<queue>
 *                                                      a deployed stack: default credentials and
 *                                                      region (AWS_PROFILE, AWS_REGION, ~/.aws)
 *
 * A logical id, queue name or URL of the local cloud's state file (.local-cloud/state.json) means
 * the local cloud: its SQS, DynamoDB Local's streams and its control endpoint's Lambda Invoke.
 * Anything else must be a queue URL in AWS. Exits 0 when every message was replayed (and
 * deleted), 1 when some were kept (listed with the reason), 2 on bad arguments.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import { readState } from '#local/cloud/state-file.ts';
import { findQueue } from '#local/sqs/queue-inspection.ts';
import { type ReplayClients, type ReplayReport, replayStreamFailures } from './replay/stream-failures.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'max-messages': { type: 'string', default: '1000' } },
});
const target = positionals[0];
const maxMessages = Number(values['max-messages']);
if (target === undefined || positionals.length > 1 || !Number.isInteger(maxMessages) || maxMessages < 1) {
  console.error('Usage: npm run replay -- <DLQ logical id | queue URL> [--max-messages N]');
  process.exit(2);
}

const { clients, queueUrl, where } = await clientsFor(target);
try {
  const report = await replayStreamFailures(clients, { queueUrl, maxMessages, onProgress: (line) => console.error(`[replay] ${line}`) });
  console.log(formatReport(report, where));
  process.exitCode = report.kept.length === 0 ? 0 : 1;
} finally {
  clients.sqs.destroy();
  clients.streams.destroy();
  clients.lambda.destroy();
}

async function clientsFor(name: string): Promise<{ clients: ReplayClients; queueUrl: string; where: string }> {
  const state = await readState();
  const queues = Object.values(state?.queues ?? {});
  const local = findQueue(queues, name) ?? queues.find((queue) => queue.url === name);
  if (state !== undefined && local !== undefined) {
    const settings = { region: state.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    return {
      clients: {
        sqs: new SQSClient({ ...settings, endpoint: state.sqsEndpoint }),
        streams: new DynamoDBStreamsClient({ ...settings, endpoint: state.dynamoDbEndpoint }),
        lambda: new LambdaClient({ ...settings, endpoint: state.controlUrl }),
      },
      queueUrl: local.url,
      where: `the local cloud's ${local.logicalId}`,
    };
  }
  if (!/^https:\/\//.test(name)) {
    console.error(`${name} is not a queue of the running local cloud${state === undefined ? ' (none is running: npm start)' : ''} nor an SQS queue URL`);
    process.exit(2);
  }
  // The region of the queue is the stack's: the stream and the function live there too.
  const region = /^https:\/\/sqs\.([a-z0-9-]+)\./.exec(name)?.[1];
  const settings = region === undefined ? {} : { region };
  return {
    clients: { sqs: new SQSClient(settings), streams: new DynamoDBStreamsClient(settings), lambda: new LambdaClient(settings) },
    queueUrl: name,
    where: name,
  };
}

function formatReport(report: ReplayReport, where: string): string {
  const lines = [`Replayed ${report.replayed.length} message(s) from ${where}, kept ${report.kept.length}`];
  for (const done of report.replayed) lines.push(`  replayed ${done.shardId} ${done.sequenceNumbers.start}..${done.sequenceNumbers.end}: ${done.records} record(s)`);
  for (const kept of report.kept) {
    const range = kept.sequenceNumbers === undefined ? '' : ` ${kept.shardId} ${kept.sequenceNumbers.start}..${kept.sequenceNumbers.end}`;
    lines.push(`  KEPT ${kept.messageId}${range}: ${kept.reason}: ${kept.detail}`);
  }
  if (report.kept.some((kept) => kept.reason === 'past-retention')) {
    lines.push('Records past the stream\'s 24-hour retention cannot be re-read: see docs/operations.md for what to do with those orders.');
  }
  return lines.join('\n');
}
