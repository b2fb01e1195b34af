const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One run of a local Task or Wait handler: the promise the library awaits, settled once (by the
 * work, a timeout, a task token callback or the execution closing), with the timers that belong
 * to it cleared when it settles.
 */
export class Attempt {
  readonly promise: Promise<unknown>;
  private resolvePromise!: (value: unknown) => void;
  private rejectPromise!: (error: unknown) => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly cleanups: Array<() => void> = [];
  private open = true;

  /** `owner` holds the execution's open attempts, so closing the execution can end them. */
  constructor(private readonly owner: Set<Attempt>) {
    this.promise = new Promise((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
    owner.add(this);
  }

  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Runs `fn` after `ms` unless the attempt has settled by then. Node runs a longer timer than
   * 2^31 - 1 ms (24.8 days) after 1 ms, so longer delays are capped there: locally, that is never.
   */
  after(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.open) fn();
    }, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  onSettled(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** False if the attempt had already settled (the caller then records nothing). */
  succeed(value: unknown): boolean {
    if (!this.settle()) return false;
    this.resolvePromise(value);
    return true;
  }

  fail(error: unknown): boolean {
    if (!this.settle()) return false;
    this.rejectPromise(error);
    return true;
  }

  private settle(): boolean {
    if (!this.open) return false;
    this.open = false;
    this.owner.delete(this);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    return true;
  }
}
