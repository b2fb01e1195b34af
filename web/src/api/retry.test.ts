import { describe, expect, it, vi } from 'vitest';
import { backoffMs, isRetryableOutcome, isSafeToRetry, retryingFetch } from './retry.ts';

const noSleep = async () => {};
const request = (method: string, headers: Record<string, string> = {}) =>
  new Request('https://api.example/orders', { method, headers, ...(method === 'GET' ? {} : { body: '{"a":1}' }) });

describe('retries', () => {
  it('treats GET and requests with an Idempotency-Key as safe to send again, nothing else', () => {
    expect(isSafeToRetry('GET', new Headers())).toBe(true);
    expect(isSafeToRetry('POST', new Headers({ 'Idempotency-Key': 'k' }))).toBe(true);
    expect(isSafeToRetry('POST', new Headers())).toBe(false);
    expect(isSafeToRetry('PUT', new Headers())).toBe(false);
  });

  it('retries network failures and "try later" statuses, not answers about the request', () => {
    expect([429, 502, 503, 504, 'network' as const].every(isRetryableOutcome)).toBe(true);
    expect([400, 401, 403, 404, 409, 422, 500].some(isRetryableOutcome)).toBe(false);
  });

  it('backs off longer each attempt', () => {
    expect(backoffMs(1, () => 0.5)).toBe(400);
    expect(backoffMs(2, () => 0.5)).toBe(1200);
  });

  it('sends a POST /orders again with the same key and body after a network failure', async () => {
    const seen: { key: string | null; body: string }[] = [];
    const fetchFn = vi.fn(async (sent: Request) => {
      seen.push({ key: sent.headers.get('Idempotency-Key'), body: await sent.text() });
      if (seen.length === 1) throw new TypeError('Failed to fetch');
      return new Response('{}', { status: 201 });
    });
    const response = await retryingFetch(fetchFn, { sleep: noSleep })(request('POST', { 'Idempotency-Key': 'k-1' }));
    expect(response.status).toBe(201);
    expect(seen).toEqual([
      { key: 'k-1', body: '{"a":1}' },
      { key: 'k-1', body: '{"a":1}' },
    ]);
  });

  it('gives up after three attempts and returns the last answer', async () => {
    const fetchFn = vi.fn(async () => new Response('{}', { status: 503 }));
    const response = await retryingFetch(fetchFn, { sleep: noSleep })(request('GET'));
    expect([response.status, fetchFn.mock.calls.length]).toEqual([503, 3]);
  });

  it('sends an unsafe request once, even when no answer came', async () => {
    const fetchFn = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(retryingFetch(fetchFn, { sleep: noSleep })(request('PUT'))).rejects.toThrow(TypeError);
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });

  it('does not retry an answer about the request itself', async () => {
    const fetchFn = vi.fn(async () => new Response('{}', { status: 400 }));
    await retryingFetch(fetchFn, { sleep: noSleep })(request('GET'));
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });
});
