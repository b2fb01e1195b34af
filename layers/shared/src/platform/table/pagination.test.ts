import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

const expected = {
  attributes: ['PK', 'SK', 'GSI1PK', 'GSI1SK'],
  partitionAttribute: 'GSI1PK',
  partitionValue: 'CUSTOMER#alice',
};
const key = { PK: 'ORDER#1', SK: 'ORDER', GSI1PK: 'CUSTOMER#alice', GSI1SK: 'ORDER#2026#1' };

describe('cursors', () => {
  it('round-trips the last evaluated key', () => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeCursor(cursor, expected)).toEqual(key);
  });

  it('has no cursor when there is no next page', () => {
    expect(encodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor(undefined, expected)).toBeUndefined();
  });

  it.each([
    ['not base64 json', 'not-a-cursor'],
    ['an array', Buffer.from('[1]').toString('base64url')],
    ['a key of another customer', encodeCursor({ ...key, GSI1PK: 'CUSTOMER#bob' })],
    ['a key with an extra attribute', encodeCursor({ ...key, extra: 'x' })],
    ['a key missing an attribute', encodeCursor({ PK: 'ORDER#1', SK: 'ORDER', GSI1PK: 'CUSTOMER#alice' })],
    ['a key with a non-string value', encodeCursor({ ...key, SK: 5 })],
  ])('refuses %s with a 400 naming the cursor', (_, cursor) => {
    try {
      decodeCursor(cursor, expected);
      expect.unreachable('the cursor should have been refused');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]?.field).toBe('cursor');
    }
  });
});

describe('cursors: the edges of what is accepted', () => {
  const refused = (cursor: string) => () => decodeCursor(cursor, expected);
  const asCursor = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

  it('is the key as JSON, base64url-encoded (opaque to clients, readable to us)', () => {
    expect(JSON.parse(Buffer.from(encodeCursor(key)!, 'base64url').toString('utf8'))).toEqual(key);
  });

  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"PK"'],
  ])('refuses a cursor that decodes to %s', (_, json) => {
    expect(refused(asCursor(json))).toThrow(ValidationError);
  });

  it('accepts key values up to 1024 characters and refuses longer ones', () => {
    const longest = { ...key, GSI1SK: 'x'.repeat(1024) };
    expect(decodeCursor(encodeCursor(longest), expected)).toEqual(longest);
    expect(refused(encodeCursor({ ...key, GSI1SK: 'x'.repeat(1025) })!)).toThrow(ValidationError);
  });

  it('says what is wrong with a refused cursor', () => {
    expect(refused('not-a-cursor')).toThrow(ValidationError.forField('cursor', 'is not a valid cursor for this list'));
  });

  it('refuses a key whose value is a list, even a short one', () => {
    expect(refused(encodeCursor({ ...key, SK: ['ORDER'] })!)).toThrow(ValidationError);
  });

  it('refuses a key with the right number of attributes but one of another index', () => {
    const { GSI1SK: _, ...rest } = key;
    expect(refused(encodeCursor({ ...rest, LSI1SK: 'x' })!)).toThrow(ValidationError);
  });
});
