import { AwsError } from '../core/aws-error.ts';

/**
 * What SNS refuses in Publish and PublishBatch, with its error codes. `code` is the query
 * protocol `<Code>`; SDK v3 maps it to the modelled exception (NotFound → NotFoundException,
 * ParameterValueInvalid → InvalidParameterValueException, ...).
 */

export class SnsError extends AwsError {
  constructor(code: string, statusCode: number, message: string, senderFault = true) {
    super(code, statusCode, message, { senderFault });
  }
}

export const snsErrors = {
  topicNotFound: () => new SnsError('NotFound', 404, 'Topic does not exist'),
  invalidParameter: (detail: string) => new SnsError('InvalidParameter', 400, `Invalid parameter: ${detail}`),
  invalidAttribute: (message: string) => new SnsError('ParameterValueInvalid', 400, message),
  emptyBatch: () => new SnsError('EmptyBatchRequest', 400, 'The batch request does not contain any entries.'),
  tooManyEntries: (count: number) =>
    new SnsError('TooManyEntriesInBatchRequest', 400, `The batch request contains more entries than permissible: ${count}.`),
  idsNotDistinct: () => new SnsError('BatchEntryIdsNotDistinct', 400, 'Two or more batch entries in the request have the same Id.'),
  invalidBatchEntryId: () =>
    new SnsError('InvalidBatchEntryId', 400, 'The Id of a batch entry in a batch request does not abide by the specification.'),
  batchTooLong: () => new SnsError('BatchRequestTooLong', 400, 'The length of all the messages put together is more than the limit.'),
};

export interface SnsMessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export type SnsMessageAttributes = Record<string, SnsMessageAttributeValue>;

export interface PublishInput {
  message: string;
  subject?: string;
  /** `json`: the message is a JSON object of per-protocol messages with a `default` entry. */
  messageStructure?: string;
  messageAttributes?: SnsMessageAttributes;
}

/** Publish payload limit: message plus attributes, as for SQS. */
export const MAX_PUBLISH_BYTES = 262_144;
export const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function publishSize(input: PublishInput): number {
  let size = Buffer.byteLength(input.message ?? '', 'utf8');
  for (const [name, value] of Object.entries(input.messageAttributes ?? {})) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType, 'utf8');
    size += value.BinaryValue?.length ?? Buffer.byteLength(value.StringValue ?? '', 'utf8');
  }
  return size;
}

export function validatePublish(input: PublishInput): void {
  if (!input.message) throw snsErrors.invalidParameter('Empty message');
  if (input.subject !== undefined) validateSubject(input.subject);
  if (input.messageStructure !== undefined) {
    if (input.messageStructure !== 'json') throw snsErrors.invalidParameter('MessageStructure');
    messageForProtocol(input, 'sqs');
  }
  validateAttributes(input.messageAttributes ?? {});
  if (publishSize(input) > MAX_PUBLISH_BYTES) throw snsErrors.invalidParameter('Message too long');
}

/**
 * The message a given protocol receives. With MessageStructure `json` it is that protocol's
 * entry, falling back to `default`; otherwise the message as published.
 */
export function messageForProtocol(input: PublishInput, protocol: string): string {
  if (input.messageStructure !== 'json') return input.message;
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.message);
  } catch {
    throw snsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw snsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const messages = parsed as Record<string, unknown>;
  if (typeof messages['default'] !== 'string') {
    throw snsErrors.invalidParameter('Message Structure - No default entry in JSON message body');
  }
  const specific = messages[protocol];
  return typeof specific === 'string' ? specific : messages['default'];
}

export function validateBatchIds(ids: readonly string[]): void {
  if (ids.length === 0) throw snsErrors.emptyBatch();
  if (ids.length > MAX_BATCH_ENTRIES) throw snsErrors.tooManyEntries(ids.length);
  if (ids.some((id) => !BATCH_ENTRY_ID.test(id))) throw snsErrors.invalidBatchEntryId();
  if (new Set(ids).size !== ids.length) throw snsErrors.idsNotDistinct();
}

// SNS subjects: ASCII, starting with a letter, number or punctuation, no line breaks or
// control characters, under 100 characters.
function validateSubject(subject: string): void {
  if (subject.length === 0 || subject.length > 100 || !/^[\x21-\x7e][\x20-\x7e]*$/.test(subject)) {
    throw snsErrors.invalidParameter('Subject');
  }
}

function validateAttributes(attributes: SnsMessageAttributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!name || name.length > 256 || !/^[A-Za-z0-9_.-]+$/.test(name) || /^(aws|amazon)\./i.test(name)) {
      throw snsErrors.invalidAttribute(`The message attribute name '${name}' is invalid.`);
    }
    const type = value.DataType;
    if (!type) {
      throw snsErrors.invalidAttribute(`The message attribute '${name}' must contain non-empty message attribute type.`);
    }
    if (!DATA_TYPE.test(type)) {
      throw snsErrors.invalidAttribute(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const empty = () =>
      snsErrors.invalidAttribute(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    if (type.startsWith('Binary')) {
      if (!value.BinaryValue || value.BinaryValue.length === 0) throw empty();
      continue;
    }
    if (!value.StringValue) throw empty();
    if (type.startsWith('Number') && !NUMBER.test(value.StringValue)) {
      throw snsErrors.invalidAttribute(
        `An error occurred while validating the message attribute '${name}': '${value.StringValue}' is not a valid number.`,
      );
    }
    if (type === 'String.Array' && !isJsonArray(value.StringValue)) {
      throw snsErrors.invalidAttribute(`The message attribute '${name}' with type 'String.Array' has an invalid value.`);
    }
  }
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}
