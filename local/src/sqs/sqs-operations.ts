import { SqsError, sqsErrors } from './errors.ts';
import { md5OfMessageAttributes, type MessageAttributes, type MessageAttributeValue } from './message.ts';
import type { Queue, ReceivedMessage } from './queue.ts';
import { startMessageMoveTask } from './redrive.ts';
import { queueUrl, type QueueRegistry } from './registry.ts';

/**
 * The SQS actions of the AWS JSON 1.0 protocol, as functions from the request document to the
 * response document. Field names are the API's; the HTTP layer lives in sqs-server.ts.
 */

export interface SqsOperationContext {
  /** Origin the client reached us on; queue URLs we hand out point back at it. */
  endpoint: string;
  /** Ends a long poll early (client gone, server stopping). */
  signal: AbortSignal;
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
export type SqsOperation = (input: Input, context: SqsOperationContext) => Promise<Output> | Output;

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_ENTRIES = 10;

// Every queue attribute name GetQueueAttributes accepts; asking for one we do not model
// (Policy, KMS, FIFO settings) is valid and simply returns nothing for it.
const QUEUE_ATTRIBUTE_NAMES = new Set([
  'All', 'Policy', 'VisibilityTimeout', 'MaximumMessageSize', 'MessageRetentionPeriod',
  'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'CreatedTimestamp',
  'LastModifiedTimestamp', 'QueueArn', 'ApproximateNumberOfMessagesDelayed', 'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds', 'RedrivePolicy', 'FifoQueue', 'ContentBasedDeduplication',
  'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'DeduplicationScope',
  'FifoThroughputLimit', 'RedriveAllowPolicy', 'SqsManagedSseEnabled',
]);

export function createSqsOperations(registry: QueueRegistry): Record<string, SqsOperation> {
  const queueOf = (input: Input) => registry.require(optionalString(input, 'QueueUrl'));

  return {
    GetQueueUrl(input, { endpoint }) {
      const name = requiredString(input, 'QueueName');
      const owner = optionalString(input, 'QueueOwnerAWSAccountId');
      const queue = registry.getByName(name);
      if (!queue || (owner && owner !== queue.accountId)) throw sqsErrors.queueDoesNotExist();
      return { QueueUrl: queueUrl(endpoint, queue) };
    },

    ListQueues(input, { endpoint }) {
      const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
      const maxResults = optionalInteger(input, 'MaxResults');
      if (maxResults !== undefined && (maxResults < 1 || maxResults > 1000)) {
        throw sqsErrors.invalidParameterValue(
          `Value ${maxResults} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`,
        );
      }
      const urls = registry.list(prefix).map((queue) => queueUrl(endpoint, queue));
      const start = decodeNextToken(optionalString(input, 'NextToken'));
      const page = urls.slice(start, start + (maxResults ?? 1000));
      const next = start + page.length;
      return {
        ...(page.length > 0 && { QueueUrls: page }),
        ...(maxResults !== undefined && next < urls.length && { NextToken: encodeNextToken(next) }),
      };
    },

    GetQueueAttributes(input) {
      const queue = queueOf(input);
      const names = optionalStringList(input, 'AttributeNames');
      for (const name of names) {
        if (!QUEUE_ATTRIBUTE_NAMES.has(name)) throw sqsErrors.invalidAttributeName(name);
      }
      const all = queue.attributes();
      const selected = names.includes('All')
        ? all
        : Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name)));
      return Object.keys(selected).length > 0 ? { Attributes: selected } : {};
    },

    SendMessage(input) {
      const queue = queueOf(input);
      return sendResult(queue.send(sendInputOf(input)));
    },

    SendMessageBatch(input) {
      const queue = queueOf(input);
      const entries = batchEntries(input);
      const totalSize = entries.reduce(
        (size, entry) => size + Buffer.byteLength(String(entry['MessageBody'] ?? ''), 'utf8'),
        0,
      );
      if (totalSize > queue.settings.maximumMessageSize) {
        throw new SqsError(
          'BatchRequestTooLong',
          'AWS.SimpleQueueService.BatchRequestTooLong',
          400,
          `Batch requests cannot be longer than ${queue.settings.maximumMessageSize} bytes. You have sent ${totalSize} bytes.`,
        );
      }
      return runBatch(entries, (entry) => sendResult(queue.send(sendInputOf(entry))));
    },

    async ReceiveMessage(input, { signal }) {
      const queue = queueOf(input);
      const messages = await queue.receive({
        maxNumberOfMessages: optionalInteger(input, 'MaxNumberOfMessages'),
        visibilityTimeout: optionalInteger(input, 'VisibilityTimeout'),
        waitTimeSeconds: optionalInteger(input, 'WaitTimeSeconds'),
        signal,
      });
      const systemNames = [
        ...optionalStringList(input, 'AttributeNames'),
        ...optionalStringList(input, 'MessageSystemAttributeNames'),
      ];
      const attributeNames = optionalStringList(input, 'MessageAttributeNames');
      if (messages.length === 0) return {};
      return {
        Messages: messages.map((message) => toApiMessage(message, systemNames, attributeNames)),
      };
    },

    DeleteMessage(input) {
      queueOf(input).delete(requiredString(input, 'ReceiptHandle'));
      return {};
    },

    DeleteMessageBatch(input) {
      const queue = queueOf(input);
      return runBatch(batchEntries(input), (entry) => {
        queue.delete(requiredString(entry, 'ReceiptHandle'));
        return {};
      });
    },

    ChangeMessageVisibility(input) {
      queueOf(input).changeVisibility(
        requiredString(input, 'ReceiptHandle'),
        requiredInteger(input, 'VisibilityTimeout'),
      );
      return {};
    },

    ChangeMessageVisibilityBatch(input) {
      const queue = queueOf(input);
      return runBatch(batchEntries(input), (entry) => {
        queue.changeVisibility(
          requiredString(entry, 'ReceiptHandle'),
          requiredInteger(entry, 'VisibilityTimeout'),
        );
        return {};
      });
    },

    PurgeQueue(input) {
      queueOf(input).purge();
      return {};
    },

    StartMessageMoveTask(input) {
      const { taskHandle } = startMessageMoveTask(registry, {
        sourceArn: requiredString(input, 'SourceArn'),
        destinationArn: optionalString(input, 'DestinationArn'),
      });
      return { TaskHandle: taskHandle };
    },
  };
}

function sendInputOf(input: Input) {
  const systemAttributes = parseMessageAttributes(input['MessageSystemAttributes'], false);
  return {
    body: optionalString(input, 'MessageBody') ?? '',
    messageAttributes: parseMessageAttributes(input['MessageAttributes']),
    delaySeconds: optionalInteger(input, 'DelaySeconds'),
    awsTraceHeader: systemAttributes['AWSTraceHeader']?.StringValue,
  };
}

function sendResult(result: ReturnType<Queue['send']>): Output {
  return {
    MessageId: result.messageId,
    MD5OfMessageBody: result.md5OfMessageBody,
    ...(result.md5OfMessageAttributes && { MD5OfMessageAttributes: result.md5OfMessageAttributes }),
  };
}

function toApiMessage(
  message: ReceivedMessage,
  systemNames: string[],
  attributeNames: string[],
): Output {
  const system = Object.fromEntries(
    Object.entries(message.attributes).filter(
      ([name]) => systemNames.includes('All') || systemNames.includes(name),
    ),
  );
  const attributes = Object.fromEntries(
    Object.entries(message.messageAttributes).filter(([name]) =>
      attributeNames.some((pattern) => attributeNameMatches(pattern, name)),
    ),
  );
  // The digest covers what is returned, so SDKs that verify it agree when only some
  // attributes were asked for.
  const md5 = md5OfMessageAttributes(attributes);
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(system).length > 0 && { Attributes: system }),
    ...(md5 && { MD5OfMessageAttributes: md5, MessageAttributes: serializeMessageAttributes(attributes) }),
  };
}

/** `All` and `.*` select everything, `prefix.*` a family, anything else one exact name. */
function attributeNameMatches(pattern: string, name: string): boolean {
  if (pattern === 'All' || pattern === '.*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

function serializeMessageAttributes(attributes: MessageAttributes): Output {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue !== undefined && { StringValue: value.StringValue }),
        ...(value.BinaryValue !== undefined && {
          BinaryValue: Buffer.from(value.BinaryValue).toString('base64'),
        }),
      },
    ]),
  );
}

function parseMessageAttributes(raw: unknown, user = true): MessageAttributes {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw sqsErrors.invalidParameterValue(
      `The request has an invalid ${user ? 'MessageAttributes' : 'MessageSystemAttributes'} map.`,
    );
  }
  const attributes: MessageAttributes = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const entry = (value ?? {}) as Input;
    const parsed: MessageAttributeValue = { DataType: optionalString(entry, 'DataType') ?? '' };
    const stringValue = optionalString(entry, 'StringValue');
    const binaryValue = optionalString(entry, 'BinaryValue');
    if (stringValue !== undefined) parsed.StringValue = stringValue;
    if (binaryValue !== undefined) parsed.BinaryValue = new Uint8Array(Buffer.from(binaryValue, 'base64'));
    attributes[name] = parsed;
  }
  return attributes;
}

function batchEntries(input: Input): Input[] {
  const entries = input['Entries'];
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new SqsError(
      'EmptyBatchRequest',
      'AWS.SimpleQueueService.EmptyBatchRequest',
      400,
      'There should be at least one SendMessageBatchRequestEntry in the request.',
    );
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new SqsError(
      'TooManyEntriesInBatchRequest',
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      400,
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
    );
  }
  const ids = new Set<string>();
  for (const entry of entries as Input[]) {
    const id = optionalString(entry, 'Id') ?? '';
    if (!BATCH_ENTRY_ID.test(id)) {
      throw new SqsError(
        'InvalidBatchEntryId',
        'AWS.SimpleQueueService.InvalidBatchEntryId',
        400,
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (ids.has(id)) {
      throw new SqsError(
        'BatchEntryIdsNotDistinct',
        'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
        400,
        `Id ${id} repeated.`,
      );
    }
    ids.add(id);
  }
  return entries as Input[];
}

/** Per-entry outcome: service errors become `Failed` entries, anything else fails the call. */
function runBatch(entries: Input[], action: (entry: Input) => Output): Output {
  const Successful: Output[] = [];
  const Failed: Output[] = [];
  for (const entry of entries) {
    const Id = entry['Id'];
    try {
      Successful.push({ Id, ...action(entry) });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      Failed.push({ Id, SenderFault: error.senderFault, Code: error.type, Message: error.message });
    }
  }
  return { Successful, Failed };
}

function optionalString(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw sqsErrors.invalidParameterValue(`Value for parameter ${key} is invalid. Reason: must be a string.`);
  }
  return value;
}

function requiredString(input: Input, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined || value === '') throw sqsErrors.missingParameter(key);
  return value;
}

function optionalInteger(input: Input, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw sqsErrors.invalidParameterValue(`Value ${String(value)} for parameter ${key} is invalid. Reason: must be an integer.`);
  }
  return value;
}

function requiredInteger(input: Input, key: string): number {
  const value = optionalInteger(input, key);
  if (value === undefined) throw sqsErrors.missingParameter(key);
  return value;
}

function optionalStringList(input: Input, key: string): string[] {
  const value = input[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw sqsErrors.invalidParameterValue(`Value for parameter ${key} is invalid. Reason: must be a list of strings.`);
  }
  return value as string[];
}

function encodeNextToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

function decodeNextToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw sqsErrors.invalidParameterValue('Invalid NextToken value.');
}
