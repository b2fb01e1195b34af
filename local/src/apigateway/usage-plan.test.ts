import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import type { UsagePlanDefinition } from './from-template.ts';
import { localApiKeyFor, startOfPeriod, UsagePlanLimiter } from './usage-plan.ts';

const plan = (overrides: Partial<UsagePlanDefinition> = {}): UsagePlanDefinition => ({
  logicalId: 'ApiUsagePlan',
  apiKeyLogicalId: 'ApiApiKey',
  throttle: { rateLimit: 2, burstLimit: 4 },
  quota: { limit: 100, period: 'DAY' },
  ...overrides,
});
const KEY = { id: 'ApiApiKey', value: 'local-ApiApiKey' };
const OTHER = { id: 'OtherKey', value: 'other-partner-key-0001' };

/** `count` requests at the clock's current instant. */
const burst = (limiter: UsagePlanLimiter, count: number, key = KEY.value) => Array.from({ length: count }, () => limiter.admit(key));

describe('UsagePlanLimiter', () => {
  it('refuses a missing or unknown key with INVALID_API_KEY (403), without counting it', () => {
    const limiter = new UsagePlanLimiter(plan(), [KEY], new ManualClock());
    expect(limiter.admit(undefined)).toBe('INVALID_API_KEY');
    expect(limiter.admit('local-ApiApiKey-wrong')).toBe('INVALID_API_KEY');
    expect(limiter.admit('')).toBe('INVALID_API_KEY');
    expect(limiter.remainingQuota(KEY.value)).toBe(100);
  });

  it('lets a burst of burstLimit through at once, then throttles until the rate refills a token', () => {
    const clock = new ManualClock();
    const limiter = new UsagePlanLimiter(plan(), [KEY], clock);
    expect(burst(limiter, 6)).toEqual(['allowed', 'allowed', 'allowed', 'allowed', 'THROTTLED', 'THROTTLED']);
    clock.advance(499);
    expect(limiter.admit(KEY.value)).toBe('THROTTLED');
    clock.advance(1); // 2 per second: one token every 500 ms
    expect(burst(limiter, 2)).toEqual(['allowed', 'THROTTLED']);
  });

  it('refills no more than the burst, however long the key was idle', () => {
    const clock = new ManualClock();
    const limiter = new UsagePlanLimiter(plan(), [KEY], clock);
    burst(limiter, 4);
    clock.advance(60_000);
    expect(burst(limiter, 5)).toEqual(['allowed', 'allowed', 'allowed', 'allowed', 'THROTTLED']);
  });

  it('sustains the rate: a request every 1/rate seconds is never throttled', () => {
    const clock = new ManualClock();
    const limiter = new UsagePlanLimiter(plan({ throttle: { rateLimit: 2, burstLimit: 1 } }), [KEY], clock);
    const decisions = Array.from({ length: 20 }, () => {
      const decision = limiter.admit(KEY.value);
      clock.advance(500);
      return decision;
    });
    expect(new Set(decisions)).toEqual(new Set(['allowed']));
  });

  it('counts only admitted requests against the quota, refuses the rest with QUOTA_EXCEEDED, and resets at 00:00 UTC', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 30, 23, 59, 0));
    const limiter = new UsagePlanLimiter(plan({ quota: { limit: 3, period: 'DAY' }, throttle: { rateLimit: 1, burstLimit: 2 } }), [KEY], clock);
    expect(burst(limiter, 3)).toEqual(['allowed', 'allowed', 'THROTTLED']);
    expect(limiter.remainingQuota(KEY.value)).toBe(1);
    clock.advance(1000);
    expect(limiter.admit(KEY.value)).toBe('allowed');
    clock.advance(5000);
    // The bucket is full again, the quota is not.
    expect(burst(limiter, 2)).toEqual(['QUOTA_EXCEEDED', 'QUOTA_EXCEEDED']);
    clock.advance(54_000); // 2026-12-01T00:00:00Z
    expect(limiter.remainingQuota(KEY.value)).toBe(3);
    expect(limiter.admit(KEY.value)).toBe('allowed');
  });

  it('keeps each key’s bucket and quota apart', () => {
    const limiter = new UsagePlanLimiter(plan({ quota: { limit: 2, period: 'DAY' } }), [KEY, OTHER], new ManualClock());
    expect(burst(limiter, 3)).toEqual(['allowed', 'allowed', 'QUOTA_EXCEEDED']);
    expect(burst(limiter, 2, OTHER.value)).toEqual(['allowed', 'allowed']);
  });

  it('without throttle or quota, only checks the key', () => {
    const limiter = new UsagePlanLimiter(plan({ throttle: undefined, quota: undefined }), [KEY], new ManualClock());
    expect(new Set(burst(limiter, 500))).toEqual(new Set(['allowed']));
    expect(limiter.admit('nope')).toBe('INVALID_API_KEY');
  });
});

describe('startOfPeriod', () => {
  const at = Date.UTC(2026, 10, 26, 15, 30); // a Thursday
  it.each([
    ['DAY', Date.UTC(2026, 10, 26)],
    ['WEEK', Date.UTC(2026, 10, 23)],
    ['MONTH', Date.UTC(2026, 10, 1)],
  ] as const)('%s starts at 00:00 UTC of its first day', (period, start) => {
    expect(startOfPeriod(at, period)).toBe(start);
  });

  it('a Monday starts its own week, a Sunday belongs to the week before', () => {
    expect(startOfPeriod(Date.UTC(2026, 10, 23, 0, 0, 1), 'WEEK')).toBe(Date.UTC(2026, 10, 23));
    expect(startOfPeriod(Date.UTC(2026, 10, 29, 23, 0), 'WEEK')).toBe(Date.UTC(2026, 10, 23));
  });
});

describe('localApiKeyFor', () => {
  it('gives the plan’s key a fixed local value derived from its logical id', () => {
    expect(localApiKeyFor(plan())).toEqual({ id: 'ApiApiKey', value: 'local-ApiApiKey' });
  });
});
