import { ValidationError } from '../errors.ts';

/**
 * Opaque cursors: DynamoDB's LastEvaluatedKey, base64url-encoded. A cursor comes back from the
 * client, so decoding checks everything DynamoDB would otherwise refuse with a
 * ValidationException (a 500): the key has exactly the attributes of the index being paged,
 * belongs to the partition being queried (a cursor edited to point into someone else's
 * partition is refused), and every value is a non-empty string within DynamoDB's key size
 * limits with the shape our keys have (platform/table/keys.ts).
 */
export type Key = Record<string, string>;

/** DynamoDB's key size limits, in UTF-8 bytes. */
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

/** One key attribute of a paged index: whether DynamoDB treats it as a partition or a sort key, and what our values look like. */
export interface KeyAttribute {
  role: 'partition' | 'sort';
  shape: RegExp;
}

/** What a cursor of one list must look like: the partition being paged, and the index's other key attributes. */
export interface CursorKey {
  partition: { attribute: string; value: string };
  attributes: Readonly<Record<string, KeyAttribute>>;
}

/** What a caller asks of a list: how many, and where to resume. */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | undefined;
}

export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  return opaque(lastEvaluatedKey);
}

/** Any cursor's wire form: its JSON, base64url-encoded (sharded lists' cursors too). */
export function opaque(value: unknown): string {
  // Stryker disable next-line StringLiteral: 'utf8' is Buffer.from's default encoding
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The refusal of any cursor the list did not hand out. */
export const invalidCursor = () => ValidationError.forField('cursor', 'is not a valid cursor for this list');

/** A cursor's JSON back, or the refusal when it is not base64url-encoded JSON. */
export function unwrapOpaque(cursor: string): unknown {
  // Stryker disable BlockStatement: without the catch's throw, undefined comes back, which every caller refuses
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  // Stryker restore BlockStatement
}

/** Whether a key value from a client is one DynamoDB takes and our keys could have: a non-empty string within the size limit, of the attribute's shape. */
export function acceptable(value: unknown, attribute: KeyAttribute): value is string {
  if (typeof value !== 'string' || value === '') return false;
  const limit = attribute.role === 'partition' ? MAX_PARTITION_KEY_BYTES : MAX_SORT_KEY_BYTES;
  return Buffer.byteLength(value, 'utf8') <= limit && attribute.shape.test(value);
}

export function decodeCursor(cursor: string | undefined, expected: CursorKey): Key | undefined {
  if (cursor === undefined) return undefined;
  const key = checkCursorKey(unwrapOpaque(cursor), expected);
  if (key === undefined) throw invalidCursor();
  return key;
}

/** `decoded` as a key of the list `expected` describes, or undefined when it is anything else. */
export function checkCursorKey(decoded: unknown, expected: CursorKey): Key | undefined {
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return undefined;
  const entries = Object.entries(decoded);
  const { partition, attributes } = expected;
  const wellFormed =
    entries.length === Object.keys(attributes).length + 1 &&
    entries.every(([name, value]) =>
      name === partition.attribute ? value === partition.value : Object.hasOwn(attributes, name) && acceptable(value, attributes[name]!),
    );
  return wellFormed ? (decoded as Key) : undefined;
}
