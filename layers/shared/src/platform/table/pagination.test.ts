import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { catalogSortKey, CURSOR_KEYS } from './keys.ts';
import { decodeCursor, encodeCursor, MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES, type CursorKey } from './pagination.ts';

const ORDER_ID = '3f0c2a52-7a4e-4d1c-9a53-0b8f3d4f9e21';
const PRODUCT_ID = '9b1d6c3e-2f4a-4b8e-8c7d-5e6f7a8b9c0d';
const expected = CURSOR_KEYS.customerOrders('alice');
const key = {
  PK: `ORDER#${ORDER_ID}`,
  SK: 'ORDER',
  GSI1PK: 'CUSTOMER#alice',
  GSI1SK: `ORDER#2026-11-29T10:00:00.000Z#${ORDER_ID}`,
};
const catalogKey = { PK: `PRODUCT#${PRODUCT_ID}`, SK: 'PRODUCT', GSI1PK: 'CATALOG#3', GSI1SK: catalogSortKey('Espresso cup', PRODUCT_ID) };
const statusKey = { PK: `ORDER#${ORDER_ID}`, SK: 'ORDER', GSI2PK: 'STATUS#PENDING#3', GSI2SK: `2026-11-29T10:00:00.000Z#${ORDER_ID}` };

function expectRefused(cursor: string | undefined, shape: CursorKey = expected) {
  try {
    decodeCursor(cursor, shape);
    expect.unreachable('the cursor should have been refused');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]?.field).toBe('cursor');
  }
}

describe('cursors', () => {
  it('round-trips the last evaluated key of each paged list', () => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeCursor(cursor, expected)).toEqual(key);
    expect(decodeCursor(encodeCursor(catalogKey), CURSOR_KEYS.catalog(3))).toEqual(catalogKey);
    expect(decodeCursor(encodeCursor(statusKey), CURSOR_KEYS.ordersByStatus('PENDING', 3))).toEqual(statusKey);
  });

  it('has no cursor when there is no next page', () => {
    expect(encodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor(undefined, expected)).toBeUndefined();
  });

  it.each([
    ['not base64 json', 'not-a-cursor'],
    ['an empty cursor', ''],
    ['an array', Buffer.from('[1]').toString('base64url')],
    ['null', Buffer.from('null').toString('base64url')],
    ['a key of another customer', encodeCursor({ ...key, GSI1PK: 'CUSTOMER#bob' })],
    ['a key with an extra attribute', encodeCursor({ ...key, extra: 'x' })],
    ['a key missing an attribute', encodeCursor({ PK: key.PK, SK: 'ORDER', GSI1PK: 'CUSTOMER#alice' })],
    ['a key without the partition', encodeCursor({ PK: key.PK, SK: 'ORDER', GSI1SK: key.GSI1SK, extra: 'x' })],
    ['a key with a non-string value', encodeCursor({ ...key, SK: 5 })],
    ['a key with a DynamoDB-typed value', encodeCursor({ ...key, PK: { S: key.PK } })],
  ])('refuses %s with a 400 naming the cursor', (_, cursor) => expectRefused(cursor));

  // DynamoDB answers each of these with a ValidationException (a 500), so none may reach it.
  it.each([
    ['an empty table partition key', { ...key, PK: '' }],
    ['an empty table sort key', { ...key, SK: '' }],
    ['an empty index sort key', { ...key, GSI1SK: '' }],
    ['every value empty', { PK: '', SK: '', GSI1PK: '', GSI1SK: '' }],
  ])('refuses %s', (_, edited) => expectRefused(encodeCursor(edited)));

  it('refuses the issue’s empty catalog cursor', () => {
    expectRefused(encodeCursor({ PK: '', SK: '', GSI1PK: 'CATALOG#3', GSI1SK: '' }), CURSOR_KEYS.catalog(3));
  });

  it('measures DynamoDB’s key size limits in UTF-8 bytes, not characters', () => {
    const catalog = CURSOR_KEYS.catalog(3);
    const sortKeyOf = (name: string) => catalogSortKey(name, PRODUCT_ID);
    const frame = Buffer.byteLength(sortKeyOf(''));
    // Exactly at the limit: accepted; one byte over (a 2-byte character in place of a 1-byte one): refused.
    const atLimit = { ...catalogKey, GSI1SK: sortKeyOf('a'.repeat(MAX_SORT_KEY_BYTES - frame)) };
    expect(decodeCursor(encodeCursor(atLimit), catalog)).toEqual(atLimit);
    expectRefused(encodeCursor({ ...catalogKey, GSI1SK: sortKeyOf(`é${'a'.repeat(MAX_SORT_KEY_BYTES - frame - 1)}`) }), catalog);
    expect(MAX_PARTITION_KEY_BYTES).toBe(2048);
  });

  it.each([
    ['a product key in an order list', { ...key, PK: `PRODUCT#${ORDER_ID}` }],
    ['an order id that is not a UUID', { ...key, PK: 'ORDER#1' }],
    ['a line sort key instead of the header', { ...key, SK: 'ORDER#LINE#001' }],
    ['an index sort key without a timestamp', { ...key, GSI1SK: `ORDER#yesterday#${ORDER_ID}` }],
    ['an index sort key of the status index', { ...key, GSI1SK: `2026-11-29T10:00:00.000Z#${ORDER_ID}` }],
  ])('refuses a key whose values do not have the shape of our keys: %s', (_, edited) => expectRefused(encodeCursor(edited)));

  it('refuses a catalog cursor whose sort key is not a product name and id', () => {
    expectRefused(encodeCursor({ ...catalogKey, GSI1SK: 'PRODUCT#' }), CURSOR_KEYS.catalog(3));
    expectRefused(encodeCursor({ ...catalogKey, SK: 'ORDER' }), CURSOR_KEYS.catalog(3));
  });

  it('refuses an order cursor in the status list and a status cursor of another status', () => {
    expectRefused(encodeCursor(key), CURSOR_KEYS.ordersByStatus('PENDING', 3));
    expectRefused(encodeCursor(statusKey), CURSOR_KEYS.ordersByStatus('CONFIRMED', 3));
  });

  it('refuses a key of another shard of the same list', () => {
    expectRefused(encodeCursor(statusKey), CURSOR_KEYS.ordersByStatus('PENDING', 4));
    expectRefused(encodeCursor(catalogKey), CURSOR_KEYS.catalog(0));
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
