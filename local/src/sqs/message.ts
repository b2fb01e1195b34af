import { createHash } from 'node:crypto';
import { sqsErrors } from './errors.ts';

/** A message attribute exactly as the SQS API carries it (same field names as SDK v3). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

/** SQS allows 10 message attributes per message. */
export const MAX_MESSAGE_ATTRIBUTES = 10;

// The characters SQS accepts in bodies and string attribute values (from the SendMessage
// reference): #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
// With the `u` flag a lone surrogate is its own code point, so it is rejected too.
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function md5Hex(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

export function hasInvalidCharacters(text: string): boolean {
  return INVALID_CHARACTER.test(text);
}

function isBinary(dataType: string): boolean {
  return dataType === 'Binary' || dataType.startsWith('Binary.');
}

/**
 * MD5OfMessageAttributes as SQS computes it: attributes sorted by name, each encoded as
 * length-prefixed (4-byte big-endian) name, data type, a transport byte (1 string, 2 binary)
 * and the length-prefixed value. Undefined when there are no attributes, as SQS omits it.
 */
export function md5OfMessageAttributes(attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Uint8Array) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of names) {
    const value = attributes[name]!;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(value.DataType, 'utf8'));
    if (isBinary(value.DataType)) {
      hash.update(Buffer.from([2]));
      lengthPrefixed(value.BinaryValue ?? new Uint8Array());
    } else {
      hash.update(Buffer.from([1]));
      lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

/** Bytes that count against MaximumMessageSize: the body plus every attribute's parts. */
export function messageSize(body: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType, 'utf8');
    size += value.BinaryValue?.length ?? Buffer.byteLength(value.StringValue ?? '', 'utf8');
  }
  return size;
}

/** Rejects what SendMessage rejects; throws SqsError with the service's error code. */
export function validateMessage(
  body: string | undefined,
  attributes: MessageAttributes,
  maximumMessageSize: number,
): asserts body is string {
  if (body === undefined || body === '') throw sqsErrors.missingParameter('MessageBody');
  if (hasInvalidCharacters(body)) {
    throw sqsErrors.invalidMessageContents(
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
  validateMessageAttributes(attributes);
  const size = messageSize(body, attributes);
  if (size > maximumMessageSize) {
    throw sqsErrors.invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${maximumMessageSize} bytes.`,
    );
  }
}

export function validateMessageAttributes(attributes: MessageAttributes): void {
  const names = Object.keys(attributes);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw sqsErrors.invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  for (const name of names) {
    const value = attributes[name]!;
    const invalid = (reason: string) =>
      sqsErrors.invalidParameterValue(`Message (user) attribute '${name}' ${reason}`);
    if (
      !ATTRIBUTE_NAME.test(name) ||
      /^(aws|amazon)\./i.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..')
    ) {
      throw sqsErrors.invalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
    }
    if (!value.DataType) throw invalid('must contain a non-empty attribute type.');
    if (!DATA_TYPE.test(value.DataType) || value.DataType.length > 256) {
      throw invalid(`has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (isBinary(value.DataType)) {
      if (!value.BinaryValue || value.BinaryValue.length === 0) {
        throw invalid(`must contain a non-empty message attribute value for message attribute type '${value.DataType}'.`);
      }
      continue;
    }
    if (value.StringValue === undefined || value.StringValue === '') {
      throw invalid(`must contain a non-empty message attribute value for message attribute type '${value.DataType}'.`);
    }
    if (hasInvalidCharacters(value.StringValue)) throw invalid('contains invalid characters.');
    if (value.DataType.startsWith('Number') && !NUMBER.test(value.StringValue)) {
      throw invalid(`has value '${value.StringValue}' which is not a valid number.`);
    }
  }
}
