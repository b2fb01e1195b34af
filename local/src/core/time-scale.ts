import { systemClock, type Clock } from './clock.ts';

/**
 * The local cloud's time scale: 1 (the default) runs every queue exactly as the template says;
 * a smaller value s (0 < s ≤ 1) makes queue time pass 1/s times faster, so a test or a demo sees
 * a message reach its DLQ after maxReceiveCount visibility timeouts within seconds.
 */
export const TIME_SCALE_VARIABLE = 'LOCAL_CLOUD_TIME_SCALE';

export class InvalidTimeScaleError extends Error {
  override name = 'InvalidTimeScaleError';
}

/** Reads `LOCAL_CLOUD_TIME_SCALE` (or any string); unset or empty means 1. */
export function parseTimeScale(raw: string | undefined, source = TIME_SCALE_VARIABLE): number {
  if (raw === undefined || raw.trim() === '') return 1;
  return checkTimeScale(Number(raw), `${source}=${raw}`);
}

export function checkTimeScale(scale: number, described = `timeScale ${scale}`): number {
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) {
    throw new InvalidTimeScaleError(`${described} is not a time scale: use a number with 0 < scale ≤ 1 (e.g. 0.05), or leave it unset`);
  }
  return scale;
}

/**
 * A clock on which time runs 1/scale times faster than on `base`, from the moment it is made:
 * `now()` advances faster and `schedule(ms)` fires after ms × scale real milliseconds. Everything
 * that measures time on it (visibility timeouts, delays, retention, long polls, batching windows)
 * shrinks by the same factor, while the queue attributes still report the template's values.
 * Timestamps taken from it (SentTimestamp, …) run ahead of the wall clock accordingly.
 */
export function scaledClock(scale: number, base: Clock = systemClock): Clock {
  checkTimeScale(scale);
  if (scale === 1) return base;
  const origin = base.now();
  return {
    now: () => origin + (base.now() - origin) / scale,
    schedule: (ms, fn) => base.schedule(ms * scale, fn),
  };
}
