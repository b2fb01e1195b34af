import { describe, expect, it } from 'vitest';
import { checkOutput, jsonMismatch, textMatches } from './matchers.ts';

describe('textMatches', () => {
  it('needs the exact text, ignoring trailing whitespace of lines and trailing blank lines', () => {
    expect(textMatches('a\nb', 'a  \nb\t\n\n\n')).toBe(true);
    expect(textMatches('a\nb', 'a\r\nb\r\n')).toBe(true);
    expect(textMatches('a\nb', 'a\n b')).toBe(false);
    expect(textMatches('a\nb', 'a\n\nb')).toBe(false);
    expect(textMatches('a', 'a\nb')).toBe(false);
    expect(textMatches('a.b', 'axb')).toBe(false);
  });

  it('reads ... inside a line as any text, across lines, possibly empty', () => {
    expect(textMatches('order ... placed', 'order 3f2a placed')).toBe(true);
    expect(textMatches('order ... placed', 'order  placed')).toBe(true);
    expect(textMatches('{"id":"...","n":2}', '{"id":"x\ny","n":2}')).toBe(true);
    expect(textMatches('order ... placed', 'order 3f2a shipped')).toBe(false);
    expect(textMatches('a...b...c', 'a1b2c')).toBe(true);
    expect(textMatches('a...b...c', 'a1c2b')).toBe(false);
  });

  it('reads a line of only ... as any whole lines, none included', () => {
    expect(textMatches('first\n...\nlast', 'first\nlast')).toBe(true);
    expect(textMatches('first\n...\nlast', 'first\nx\ny\nlast')).toBe(true);
    expect(textMatches('first\n...\nlast', 'firstlast')).toBe(false);
    expect(textMatches('...\nlast', 'last')).toBe(true);
    expect(textMatches('...\nlast', 'a\nlast')).toBe(true);
    expect(textMatches('...\nlast', 'alast')).toBe(false);
    expect(textMatches('first\n...', 'first')).toBe(true);
    expect(textMatches('first\n...', 'first\nmore\nlines')).toBe(true);
    expect(textMatches('first\n...', 'firstly')).toBe(false);
    expect(textMatches('...', '')).toBe(true);
  });

  it('takes regular-expression characters literally', () => {
    expect(textMatches('(a+b)*[c]? $x ^y \\z', '(a+b)*[c]? $x ^y \\z')).toBe(true);
    expect(textMatches('a+', 'aa')).toBe(false);
  });
});

describe('jsonMismatch', () => {
  it('accepts more keys in objects, and any value for "..."', () => {
    expect(jsonMismatch({ a: 1, b: '...' }, { a: 1, b: { deep: true }, c: 3 })).toBeUndefined();
    expect(jsonMismatch({ nested: { status: 'CONFIRMED' } }, { nested: { status: 'CONFIRMED', at: 't' } })).toBeUndefined();
  });

  it('names the path of the first difference', () => {
    expect(jsonMismatch({ a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'y' }] } })).toBe('$.a.b[1].c: expected "x", got "y"');
    expect(jsonMismatch({ 'content-type': 'a' }, {})).toBe('$["content-type"]: missing');
    expect(jsonMismatch({ a: null }, { a: 0 })).toBe('$.a: expected null, got 0');
    expect(jsonMismatch({ a: 1 }, [1])).toBe('$: expected an object, got [1]');
    expect(jsonMismatch('...', undefined)).toBeUndefined();
  });

  it('needs arrays of the same length, matched element by element', () => {
    expect(jsonMismatch([{ id: '...' }, { id: 'b' }], [{ id: 'a', x: 1 }, { id: 'b' }])).toBeUndefined();
    expect(jsonMismatch([1, 2], [1, 2, 3])).toBe('$: expected 2 elements, got 3');
    expect(jsonMismatch([2, 1], [1, 2])).toBe('$[0]: expected 2, got 1');
    expect(jsonMismatch({ items: [] }, { items: {} })).toBe('$.items: expected an array, got {}');
  });

  it('matches a string with ... in it as a text block would', () => {
    expect(jsonMismatch({ detail: '...quantity...' }, { detail: 'body.items[0].quantity must be positive' })).toBeUndefined();
    expect(jsonMismatch({ detail: '...quantity...' }, { detail: 'price' })).toBe('$.detail: expected a string like "...quantity...", got "price"');
    expect(jsonMismatch({ detail: '...quantity...' }, { detail: 3 })).toBe('$.detail: expected a string like "...quantity...", got 3');
  });

  it('compares numbers, booleans and null exactly', () => {
    expect(jsonMismatch({ n: 1, t: true, z: null }, { n: 1, t: true, z: null })).toBeUndefined();
    expect(jsonMismatch({ n: 1 }, { n: '1' })).toBe('$.n: expected 1, got "1"');
    expect(jsonMismatch({ t: true }, { t: 1 })).toBe('$.t: expected true, got 1');
  });
});

describe('checkOutput', () => {
  it('checks text and JSON blocks, and says when stdout or the block is not JSON', () => {
    expect(checkOutput({ kind: 'text', body: 'ok' }, 'ok\n')).toEqual({ ok: true });
    expect(checkOutput({ kind: 'text', body: 'ok' }, 'no\n')).toEqual({ ok: false, reason: 'stdout differs from the text output block' });
    expect(checkOutput({ kind: 'json', body: '{"a": 1}' }, '{"a": 1, "b": 2}\n')).toEqual({ ok: true });
    expect(checkOutput({ kind: 'json', body: '{"a": 1}' }, '{"a": 2}')).toEqual({ ok: false, reason: '$.a: expected 1, got 2' });
    expect(checkOutput({ kind: 'json', body: '{"a": 1}' }, '{"a": 1}\n{"a": 1}')).toMatchObject({ ok: false, reason: expect.stringMatching(/^stdout is not one JSON value: /) });
    expect(checkOutput({ kind: 'json', body: '{a: 1}' }, '{}')).toMatchObject({ ok: false, reason: expect.stringMatching(/^the json output block is not JSON: /) });
  });
});
