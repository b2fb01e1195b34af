import { describe, expect, it } from 'vitest';
import { blockSizes, cpuPerRequest, OVERHEAD_HOPS, requestHops, summarizeRequestHops } from './api-overhead.ts';

const trace = (clientMs: number) => ({ clientMs, invokeMs: clientMs - 3, environmentMs: clientMs - 4, sdkMs: clientMs - 6, sdkCalls: 4 });

describe('requestHops', () => {
  it('splits a request into the gateway, the Lambda hand-off, the handler and its SDK calls, adding up to the total', () => {
    const hops = requestHops({ clientMs: 20, invokeMs: 17, environmentMs: 16, sdkMs: 12, sdkCalls: 4 });
    expect(Object.keys(hops)).toEqual([...OVERHEAD_HOPS]);
    expect(Object.values(hops)).toEqual([3, 1, 4, 12]);
    expect(Object.values(hops).reduce((total, value) => total + value, 0)).toBe(20);
  });
});

describe('summarizeRequestHops', () => {
  it('gives each hop its p50, mean and share of the mean request', () => {
    const summary = summarizeRequestHops([trace(10), trace(20), trace(30)]);
    expect(summary).toMatchObject({ requests: 3, clientP50: 20, sdkCallsPerRequest: 4 });
    expect(summary.hops.map((hop) => [hop.p50, hop.mean])).toEqual([
      [3, 3],
      [1, 1],
      [2, 2],
      [14, 14],
    ]);
    expect(summary.hops.reduce((total, hop) => total + hop.share, 0)).toBeCloseTo(1);
  });
});

describe('cpuPerRequest', () => {
  it('divides the CPU of every block by every request, and is NaN for none', () => {
    expect(cpuPerRequest([{ requests: 10, cpuMs: 50 }, { requests: 30, cpuMs: 70 }])).toBe(3);
    expect(cpuPerRequest([])).toBeNaN();
  });
});

describe('blockSizes', () => {
  it('splits the requests into rounds that differ by one at most and add up to the count', () => {
    expect(blockSizes(10, 4)).toEqual([3, 3, 2, 2]);
    expect(blockSizes(3, 5)).toEqual([1, 1, 1]);
    expect(blockSizes(7, 1)).toEqual([7]);
  });
});
