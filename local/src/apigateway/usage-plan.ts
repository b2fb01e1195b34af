import type { Clock } from '../core/clock.ts';
import type { QuotaPeriod, UsagePlanDefinition } from './from-template.ts';

/** Whether a keyed request may go on, and if not, which gateway response API Gateway sends. */
export type UsagePlanDecision = 'allowed' | 'INVALID_API_KEY' | 'THROTTLED' | 'QUOTA_EXCEEDED';

/** One API key of the plan: its id (what `!Ref` of the key gives) and the value callers send. */
export interface LocalApiKey {
  id: string;
  value: string;
}

/**
 * The value of the key the local cloud creates for a usage plan: fixed, so that tests, docs and
 * `curl` can use it (AWS generates a random one). `npm start` prints it, and
 * `LocalCloudDescription.partnerApiKey` carries it.
 */
export function localApiKeyFor(plan: UsagePlanDefinition): LocalApiKey {
  return { id: plan.apiKeyLogicalId, value: `local-${plan.apiKeyLogicalId}` };
}

interface KeyUsage {
  tokens: number;
  refilledAt: number;
  periodStart: number;
  used: number;
}

/**
 * A usage plan's limits as API Gateway applies them to each key: a token bucket (`burstLimit`
 * requests at once, refilled at `rateLimit` per second) and a quota of requests per period
 * (UTC calendar day, week from Monday, or month). A request over the quota gets QUOTA_EXCEEDED,
 * one over the rate THROTTLED (both 429); only requests let through count against the quota.
 * An unknown or missing key is INVALID_API_KEY (403).
 */
export class UsagePlanLimiter {
  private readonly usage = new Map<string, KeyUsage>();
  private readonly keysByValue: Map<string, LocalApiKey>;

  constructor(
    private readonly plan: UsagePlanDefinition,
    keys: LocalApiKey[],
    private readonly clock: Pick<Clock, 'now'>,
  ) {
    this.keysByValue = new Map(keys.map((key) => [key.value, key]));
  }

  /** The key a request's `x-api-key` names, if it is one of the plan's. */
  keyFor(value: string | undefined): LocalApiKey | undefined {
    return value === undefined ? undefined : this.keysByValue.get(value);
  }

  admit(value: string | undefined): UsagePlanDecision {
    const key = this.keyFor(value);
    if (key === undefined) return 'INVALID_API_KEY';
    const now = this.clock.now();
    const periodStart = this.plan.quota === undefined ? 0 : startOfPeriod(now, this.plan.quota.period);
    const burst = this.plan.throttle?.burstLimit ?? Number.POSITIVE_INFINITY;
    const usage = this.usage.get(key.id) ?? { tokens: burst, refilledAt: now, periodStart, used: 0 };
    this.usage.set(key.id, usage);

    if (usage.periodStart !== periodStart) {
      usage.periodStart = periodStart;
      usage.used = 0;
    }
    if (this.plan.quota !== undefined && usage.used >= this.plan.quota.limit) return 'QUOTA_EXCEEDED';

    if (this.plan.throttle !== undefined) {
      const elapsedSeconds = Math.max(0, now - usage.refilledAt) / 1000;
      usage.tokens = Math.min(burst, usage.tokens + elapsedSeconds * this.plan.throttle.rateLimit);
      usage.refilledAt = now;
      if (usage.tokens < 1) return 'THROTTLED';
      usage.tokens -= 1;
    }
    usage.used += 1;
    return 'allowed';
  }

  /** Requests a key has left in the current quota period (`Infinity` without a quota). */
  remainingQuota(value: string): number {
    const key = this.keyFor(value);
    if (key === undefined || this.plan.quota === undefined) return Number.POSITIVE_INFINITY;
    const usage = this.usage.get(key.id);
    const current = usage !== undefined && usage.periodStart === startOfPeriod(this.clock.now(), this.plan.quota.period);
    return this.plan.quota.limit - (current ? usage.used : 0);
  }
}

/** The start (ms since the epoch) of the UTC day, week (from Monday) or month `now` falls in. */
export function startOfPeriod(now: number, period: QuotaPeriod): number {
  const date = new Date(now);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (period === 'DAY') return day;
  if (period === 'MONTH') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  return day - daysSinceMonday * 86_400_000;
}
