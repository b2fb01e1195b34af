import { describe, expect, it } from 'vitest';
import { bump, difference, percentile, runLoad, summarize } from './stats.ts';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(10);
  });

  it('is NaN for no values and the value for one', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentile([7], 99)).toBe(7);
  });
});

describe('summarize', () => {
  it('reports throughput per second of wall time', () => {
    const summary = summarize([10, 20, 30, 40], 1, 2000);
    expect(summary).toMatchObject({ count: 4, errors: 1, p50: 20, p99: 40, mean: 25, throughput: 2 });
  });
});

describe('runLoad', () => {
  it('runs every operation once, never more than `concurrency` at a time, and counts failures', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const result = await runLoad(20, 4, async (index) => {
      running += 1;
      peak = Math.max(peak, running);
      seen.push(index);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running -= 1;
      if (index % 5 === 0) throw new Error('boom');
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(4);
    expect(result.count).toBe(16);
    expect(result.errors).toBe(4);
  });

  it('starts nothing new after the deadline', async () => {
    const result = await runLoad(1000, 2, () => new Promise((resolve) => setTimeout(resolve, 5)), 20);
    expect(result.count).toBeLessThan(20);
  });
});

describe('counters', () => {
  it('bumps and subtracts', () => {
    const counts: Record<string, number> = {};
    bump(counts, 'a');
    bump(counts, 'a', 2);
    bump(counts, 'b');
    expect(counts).toEqual({ a: 3, b: 1 });
    expect(difference({ a: 5, b: 1, c: 2 }, counts)).toEqual({ a: 2, c: 2 });
  });
});
