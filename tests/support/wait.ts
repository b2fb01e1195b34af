export interface WaitForOptions {
  /** Give up after this long (default 10 s); keep it under the test's own timeout. */
  timeoutMs?: number;
  /** Between two looks (default 100 ms). */
  intervalMs?: number;
  /** Named in the timeout error: what was being waited for. */
  description?: string;
}

/**
 * Polls `probe` until it returns something truthy, and returns that. Asynchronous effects (a
 * message consumed, a record written) are awaited this way, never with a fixed sleep. An error
 * thrown by the probe counts as "not yet"; the last one is reported if time runs out.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 10_000, intervalMs = 100, description = 'a condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? `; last error: ${last.message}` : `; last value: ${JSON.stringify(last)}`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
