import { type _Record, type DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { compareSequenceNumbers, toLambdaRecord } from '#local/streams/stream-record.ts';

/**
 * Replays the stream batches a DynamoDB stream mapping gave up on. Its on-failure destination
 * (a queue) holds Lambda's invocation records, which name a shard and a sequence number range,
 * not the changes. For each message: re-read that range from the stream (the records stay 24
 * hours), hand the records to the mapping's own function (named in the record) as the stream
 * event Lambda would have built, and delete the message only once the function took every
 * record. What cannot be replayed (records past the stream's retention, a function that fails
 * again) is reported and its message kept.
 *
 * The same code serves a deployed stack and the local cloud: it only takes SDK clients (SQS,
 * DynamoDB Streams, Lambda). Invoking the function rather than publishing from here keeps the
 * event building, the filtering of non-order changes and the publishing permissions in one
 * place; the caller needs only `lambda:InvokeFunction` on that function. Its events carry
 * deterministic ids, so a change that had been published already is dropped by the consumers.
 */

export interface ReplayClients {
  sqs: SQSClient;
  streams: DynamoDBStreamsClient;
  lambda: LambdaClient;
}

export interface ReplayOptions {
  queueUrl: string;
  /** Messages taken per run at most (default 1000). */
  maxMessages?: number;
  /** Records per invocation of the function (default 100; well under Invoke's 6 MB). */
  recordsPerInvocation?: number;
  /** How long a received message stays hidden from others while it is replayed (default 300 s). */
  visibilityTimeoutSeconds?: number;
  onProgress?: (message: string) => void;
}

export interface ReplayedMessage {
  messageId: string;
  shardId: string;
  sequenceNumbers: { start: string; end: string };
  /** Stream records re-read in the range (the mapping's filter may have skipped some of them before). */
  records: number;
}

export interface KeptMessage {
  messageId: string;
  /** `past-retention`: the range is no longer in the stream; `function-failed`, `unreadable`, `malformed`. */
  reason: 'past-retention' | 'function-failed' | 'unreadable' | 'malformed';
  detail: string;
  shardId?: string;
  sequenceNumbers?: { start: string; end: string };
}

export interface ReplayReport {
  replayed: ReplayedMessage[];
  kept: KeptMessage[];
}

/** Lambda's record for a discarded DynamoDB stream batch (the fields the replay needs). */
export interface StreamBatchInfo {
  functionArn: string;
  streamArn: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
}

class KeepMessage extends Error {
  constructor(
    readonly reason: KeptMessage['reason'],
    message: string,
  ) {
    super(message);
  }
}

/** Reads what an on-failure record names; throws `KeepMessage` ('malformed') for anything else. */
export function parseOnFailureRecord(body: string): StreamBatchInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new KeepMessage('malformed', 'The message is not JSON');
  }
  const record = parsed as { requestContext?: { functionArn?: unknown }; DDBStreamBatchInfo?: Record<string, unknown> };
  const info = record.DDBStreamBatchInfo;
  const functionArn = record.requestContext?.functionArn;
  const fields = ['streamArn', 'shardId', 'startSequenceNumber', 'endSequenceNumber'] as const;
  if (typeof functionArn !== 'string' || info === undefined || fields.some((field) => typeof info[field] !== 'string' || info[field] === '')) {
    throw new KeepMessage('malformed', 'Not a DynamoDB stream on-failure record (requestContext.functionArn, DDBStreamBatchInfo.streamArn/shardId/startSequenceNumber/endSequenceNumber)');
  }
  const start = info.startSequenceNumber as string;
  const end = info.endSequenceNumber as string;
  if (!/^\d+$/.test(start) || !/^\d+$/.test(end) || compareSequenceNumbers(start, end) > 0) {
    throw new KeepMessage('malformed', `Not a sequence number range: ${start}..${end}`);
  }
  return { functionArn, streamArn: info.streamArn as string, shardId: info.shardId as string, startSequenceNumber: start, endSequenceNumber: end };
}

export async function replayStreamFailures(clients: ReplayClients, options: ReplayOptions): Promise<ReplayReport> {
  const progress = options.onProgress ?? (() => {});
  const maxMessages = options.maxMessages ?? 1000;
  const report: ReplayReport = { replayed: [], kept: [] };
  const keptHandles: string[] = [];
  const seen = new Set<string>();
  try {
    while (seen.size < maxMessages) {
      const { Messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, maxMessages - seen.size),
          VisibilityTimeout: options.visibilityTimeoutSeconds ?? 300,
          WaitTimeSeconds: 0,
        }),
      );
      const fresh = Messages.filter((message) => message.MessageId !== undefined && !seen.has(message.MessageId));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.MessageId!);
        const outcome = await replayMessage(clients, message, options);
        if ('reason' in outcome) {
          report.kept.push(outcome);
          if (message.ReceiptHandle !== undefined) keptHandles.push(message.ReceiptHandle);
          progress(`kept ${outcome.messageId}: ${outcome.reason}: ${outcome.detail}`);
        } else {
          await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));
          report.replayed.push(outcome);
          progress(`replayed ${outcome.records} record(s) of ${outcome.shardId} ${outcome.sequenceNumbers.start}..${outcome.sequenceNumbers.end}`);
        }
      }
    }
  } finally {
    // What could not be replayed is visible again at once, for the next attempt or a look.
    // Best effort: a message whose visibility is not reset reappears after the timeout anyway.
    for (const handle of keptHandles) {
      try {
        await clients.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: options.queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }));
      } catch {
        progress('could not make a kept message visible again; it reappears after the visibility timeout');
      }
    }
  }
  return report;
}

async function replayMessage(clients: ReplayClients, message: Message, options: ReplayOptions): Promise<ReplayedMessage | KeptMessage> {
  const messageId = message.MessageId ?? '';
  let info: StreamBatchInfo | undefined;
  try {
    info = parseOnFailureRecord(message.Body ?? '');
    const records = await readRange(clients.streams, info);
    await invokeWith(clients.lambda, info, records, options.recordsPerInvocation ?? 100);
    return { messageId, shardId: info.shardId, sequenceNumbers: { start: info.startSequenceNumber, end: info.endSequenceNumber }, records: records.length };
  } catch (error) {
    const kept = error instanceof KeepMessage ? error : new KeepMessage('unreadable', `${(error as Error).name}: ${(error as Error).message}`);
    return {
      messageId,
      reason: kept.reason,
      detail: kept.message,
      ...(info !== undefined && { shardId: info.shardId, sequenceNumbers: { start: info.startSequenceNumber, end: info.endSequenceNumber } }),
    };
  }
}

/** Bounds of one read: pages of GetRecords, and empty pages in a row on an open shard. */
const MAX_PAGES = 10_000;
const MAX_EMPTY_PAGES = 20;

/** The records from start to end sequence number, in order; `KeepMessage` if the range is not (all) there. */
export async function readRange(streams: DynamoDBStreamsClient, info: StreamBatchInfo): Promise<_Record[]> {
  let iterator: string | undefined;
  try {
    ({ ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: info.streamArn, ShardId: info.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: info.startSequenceNumber }),
    ));
  } catch (error) {
    throw pastRetentionOr(error, info);
  }
  const records: _Record[] = [];
  let emptyPages = 0;
  for (let page = 0; page < MAX_PAGES && iterator !== undefined && iterator !== null; page++) {
    let output;
    try {
      output = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (error) {
      throw pastRetentionOr(error, info);
    }
    const page_ = output.Records ?? [];
    for (const record of page_) {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
      if (records.length === 0 && sequenceNumber !== info.startSequenceNumber) {
        // AT_SEQUENCE_NUMBER starts at the record itself: anything else means it is gone.
        throw new KeepMessage('past-retention', `${info.shardId}: the first record is ${sequenceNumber}, not ${info.startSequenceNumber} (trimmed?)`);
      }
      if (compareSequenceNumbers(sequenceNumber, info.endSequenceNumber) > 0) return records;
      records.push(record);
      if (sequenceNumber === info.endSequenceNumber) return records;
    }
    emptyPages = page_.length === 0 ? emptyPages + 1 : 0;
    if (emptyPages >= MAX_EMPTY_PAGES) break;
    iterator = output.NextShardIterator;
  }
  const reached = records.at(-1)?.dynamodb?.SequenceNumber ?? 'nothing';
  throw new KeepMessage(records.length === 0 ? 'past-retention' : 'unreadable', `${info.shardId}: read up to ${reached}, never reached ${info.endSequenceNumber}`);
}

function pastRetentionOr(error: unknown, info: StreamBatchInfo): KeepMessage {
  const name = (error as Error).name;
  const message = (error as Error).message;
  if (name === 'TrimmedDataAccessException' || name === 'ResourceNotFoundException') {
    return new KeepMessage('past-retention', `${info.shardId} from ${info.startSequenceNumber}: ${name}: ${message} (the stream keeps records 24 hours)`);
  }
  return new KeepMessage('unreadable', `${info.shardId}: ${name}: ${message}`);
}

/** The records to the function as Lambda's stream event, in chunks; every record must succeed. */
async function invokeWith(lambda: LambdaClient, info: StreamBatchInfo, records: _Record[], chunkSize: number): Promise<void> {
  const region = info.streamArn.split(':')[3] ?? '';
  const events = records.map((record) => toLambdaRecord(record, { region, eventSourceArn: info.streamArn }));
  for (let index = 0; index < events.length; index += chunkSize) {
    const chunk = events.slice(index, index + chunkSize);
    const output = await lambda.send(new InvokeCommand({ FunctionName: info.functionArn, InvocationType: 'RequestResponse', Payload: JSON.stringify({ Records: chunk }) }));
    const text = output.Payload === undefined ? '' : Buffer.from(output.Payload).toString('utf8');
    if (output.FunctionError !== undefined) throw new KeepMessage('function-failed', `${info.functionArn} failed (${output.FunctionError}): ${text.slice(0, 500)}`);
    const failures = (safeJson(text) as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | undefined)?.batchItemFailures ?? [];
    if (failures.length > 0) {
      throw new KeepMessage('function-failed', `${info.functionArn} reported ${failures.length} failed record(s): ${failures.map((failure) => failure.itemIdentifier).join(', ')}`);
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
