/**
 * Pure helpers of the benchmark: percentiles, latency summaries, and a bounded closed-loop load
 * generator. No I/O of their own; unit-tested in stats.test.ts.
 */

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export interface LatencySummary {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** Completed requests per second of wall time (errors excluded). */
  throughput: number;
}

export function summarize(latenciesMs: readonly number[], errors: number, wallMs: number): LatencySummary {
  const mean = latenciesMs.length === 0 ? Number.NaN : latenciesMs.reduce((sum, value) => sum + value, 0) / latenciesMs.length;
  return {
    count: latenciesMs.length,
    errors,
    p50: percentile(latenciesMs, 50),
    p95: percentile(latenciesMs, 95),
    p99: percentile(latenciesMs, 99),
    mean,
    throughput: wallMs > 0 ? (latenciesMs.length / wallMs) * 1000 : Number.NaN,
  };
}

/**
 * Runs `operation(i)` for i = 0..count-1 with `concurrency` callers, each starting its next
 * operation when the previous one ends (a closed loop). Bounded twice: by `count`, and by
 * `deadlineMs` of wall time, after which no new operation starts. A rejected operation counts as
 * an error, not a latency.
 */
export async function runLoad(
  count: number,
  concurrency: number,
  operation: (index: number) => Promise<unknown>,
  deadlineMs = 120_000,
): Promise<LatencySummary & { latenciesMs: number[] }> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const caller = async () => {
    while (next < count && performance.now() - started < deadlineMs) {
      const index = next;
      next += 1;
      const begun = performance.now();
      try {
        await operation(index);
        latenciesMs.push(performance.now() - begun);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, caller));
  return { ...summarize(latenciesMs, errors, performance.now() - started), latenciesMs };
}

/** Adds `amount` to `counts[key]`. */
export function bump(counts: Record<string, number>, key: string, amount = 1): void {
  counts[key] = (counts[key] ?? 0) + amount;
}

/** `after - before` for every key of `after` (counters only grow). */
export function difference(after: Readonly<Record<string, number>>, before: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([key, value]) => [key, value - (before[key] ?? 0)]).filter(([, value]) => value !== 0));
}
