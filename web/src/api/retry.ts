/**
 * Retries of requests that are safe to send twice: reads (GET), and POST /orders, which carries
 * an Idempotency-Key (the API answers a repeat with the same order). Anything else is sent once
 * and a failure is reported as it is.
 */

/** Statuses that say "try again later" rather than "this request is wrong". */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export function isSafeToRetry(method: string, headers: Headers): boolean {
  return method.toUpperCase() === 'GET' || headers.has('Idempotency-Key');
}

/** Whether an outcome (a response status, or `'network'` for no response) is worth another attempt. */
export function isRetryableOutcome(outcome: number | 'network'): boolean {
  return outcome === 'network' || RETRYABLE_STATUSES.has(outcome);
}

/** Backoff before attempt `attempt + 1` (attempt counts from 1): 400 ms, 1.2 s, with jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = 400 * 3 ** (attempt - 1);
  return Math.round(base * (0.75 + random() * 0.5));
}

export interface RetryOptions {
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A `fetch` that retries safe requests on network failures and "try later" answers. */
export function retryingFetch(fetchFn: (request: Request) => Promise<Response>, options: RetryOptions = {}): (request: Request) => Promise<Response> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? delay;
  return async (request: Request) => {
    const safe = isSafeToRetry(request.method, request.headers);
    for (let attempt = 1; ; attempt += 1) {
      // A Request's body can be read once: each attempt sends a copy.
      const last = !safe || attempt >= attempts;
      try {
        const response = await fetchFn(last ? request : request.clone());
        if (last || !isRetryableOutcome(response.status)) return response;
      } catch (error) {
        if (last || (error instanceof DOMException && error.name === 'AbortError')) throw error;
      }
      await sleep(backoffMs(attempt, options.random));
    }
  };
}
