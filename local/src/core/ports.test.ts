import { describe, expect, it } from 'vitest';
import { freePort, portAllocator } from './ports.ts';

describe('free ports', () => {
  it('never hands out a port twice, even when the OS offers it again before it is bound', async () => {
    const offered = [41000, 41000, 41001, 41000, 41002];
    const next = portAllocator(async () => offered.shift()!, new Set());
    expect([await next(), await next(), await next()]).toEqual([41000, 41001, 41002]);
  });

  it('asks the OS, and gives a different port each time', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await freePort()).not.toBe(port);
  });
});
