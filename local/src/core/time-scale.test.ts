import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.ts';
import { parseTimeScale, scaledClock } from './time-scale.ts';

describe('parseTimeScale', () => {
  it('is 1 when unset, and takes 0 < scale ≤ 1', () => {
    expect([parseTimeScale(undefined), parseTimeScale(''), parseTimeScale('0.05'), parseTimeScale('1')]).toEqual([1, 1, 0.05, 1]);
  });

  it('refuses anything else, naming the variable', () => {
    for (const raw of ['0', '-0.5', '2', 'fast', 'NaN']) {
      expect(() => parseTimeScale(raw)).toThrow(`LOCAL_CLOUD_TIME_SCALE=${raw} is not a time scale`);
    }
  });
});

describe('scaledClock', () => {
  it('is the base clock itself at scale 1', () => {
    const base = new ManualClock();
    expect(scaledClock(1, base)).toBe(base);
  });

  it('runs 1/scale times faster: now() advances faster, timers fire after scale × their delay', () => {
    const base = new ManualClock(1_000_000);
    const clock = scaledClock(0.05, base);
    const fired: number[] = [];
    clock.schedule(30_000, () => fired.push(base.now()));
    base.advance(1_499);
    expect(fired).toEqual([]);
    base.advance(1);
    expect(fired).toEqual([1_001_500]);
    expect(clock.now()).toBe(1_000_000 + 30_000);
  });

  it('cancels timers on the base clock', () => {
    const base = new ManualClock();
    const cancel = scaledClock(0.1, base).schedule(1_000, () => {
      throw new Error('should not fire');
    });
    cancel();
    expect(base.pendingTimers).toBe(0);
  });
});
