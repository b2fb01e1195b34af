import type { Clock } from '../core/clock.ts';

/**
 * Waits `ms` on `clock`, returning early when any of `signals` aborts (stop, or a nudge to look
 * again now). The timer is always cancelled, so an interrupted wait leaves nothing scheduled.
 */
export function wait(clock: Clock, ms: number, ...signals: Array<AbortSignal | undefined>): Promise<void> {
  return new Promise((resolve) => {
    const live = signals.filter((signal): signal is AbortSignal => signal !== undefined);
    if (live.some((signal) => signal.aborted)) return resolve();
    const done = () => {
      cancel();
      for (const signal of live) signal.removeEventListener('abort', done);
      resolve();
    };
    const cancel = clock.schedule(ms, done);
    for (const signal of live) signal.addEventListener('abort', done, { once: true });
  });
}

/** A wake-up call that can be rung many times: each `signal` is good for one wait. */
export class Nudge {
  private controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  ring(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }
}
