import { describe, expect, it } from 'vitest';
import { mapProxyResult } from './proxy-result.ts';

describe('mapProxyResult', () => {
  it('maps status, headers and body', () => {
    const mapped = mapProxyResult({ statusCode: 201, headers: { 'content-type': 'text/plain', 'x-n': 1 }, body: 'hi' });
    expect(mapped).toEqual({
      ok: true,
      reply: { statusCode: 201, headers: { 'content-type': ['text/plain'], 'x-n': ['1'] }, body: Buffer.from('hi') },
    });
  });

  it('merges multiValueHeaders with headers, the multi-value list winning for a shared name', () => {
    const mapped = mapProxyResult({
      statusCode: 200,
      headers: { 'set-cookie': 'ignored', vary: 'Origin' },
      multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
    });
    expect(mapped.ok && mapped.reply.headers).toEqual({
      'set-cookie': ['a=1', 'b=2'],
      vary: ['Origin'],
      'Content-Type': ['application/json'],
    });
  });

  it('defaults Content-Type to application/json and the body to empty', () => {
    const mapped = mapProxyResult({ statusCode: 204 });
    expect(mapped.ok && mapped.reply).toEqual({ statusCode: 204, headers: { 'Content-Type': ['application/json'] }, body: Buffer.alloc(0) });
  });

  it('decodes a base64 body', () => {
    const mapped = mapProxyResult({ statusCode: 200, body: Buffer.from([1, 2, 3]).toString('base64'), isBase64Encoded: true });
    expect(mapped.ok && [...mapped.reply.body]).toEqual([1, 2, 3]);
  });

  it.each([
    ['a string', 'ok', /not an object/],
    ['null', null, /null, not an object/],
    ['no status code', { body: '' }, /statusCode is undefined/],
    ['an invalid status code', { statusCode: 42 }, /statusCode is number 42/],
    ['an object body', { statusCode: 200, body: { a: 1 } }, /body is an object; it must be a string/],
    ['an unknown field', { statusCode: 200, cookies: ['a=1'] }, /unexpected field\(s\) cookies/],
    ['an object header', { statusCode: 200, headers: { a: { b: 1 } } }, /headers\.a is an object/],
    ['a bad multi-value header', { statusCode: 200, multiValueHeaders: { a: 'x' } }, /list of strings/],
  ])('rejects %s as a malformed proxy response', (_name, payload, reason) => {
    const mapped = mapProxyResult(payload);
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.reason).toMatch(reason);
  });
});
