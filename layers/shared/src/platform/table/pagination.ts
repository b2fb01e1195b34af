import { ValidationError } from '../errors.ts';

/**
 * Opaque cursors: DynamoDB's LastEvaluatedKey, base64url-encoded. Decoding checks the key has
 * exactly the attributes of the index being paged and belongs to the partition being queried,
 * so a cursor edited to point into someone else's partition is refused (400) instead of
 * reaching DynamoDB.
 */
export type Key = Record<string, string>;

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
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  expected: { attributes: readonly string[]; partitionAttribute: string; partitionValue: string },
): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => ValidationError.forField('cursor', 'is not a valid cursor for this list');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalid();
  const entries = Object.entries(decoded);
  const wanted = new Set(expected.attributes);
  const wellFormed =
    entries.length === wanted.size &&
    entries.every(([name, value]) => wanted.has(name) && typeof value === 'string' && value.length <= 1024);
  if (!wellFormed || (decoded as Key)[expected.partitionAttribute] !== expected.partitionValue) throw invalid();
  return decoded as Key;
}
