/**
 * A gate that pollers pass before each read: closed by `pause()`, opened by `resume()`. Like
 * disabling an event source mapping (UpdateEventSourceMapping `Enabled: false`) without losing
 * its place: a paused poller reads nothing, what arrives meanwhile waits in its queue or stream,
 * and a read already waiting (an SQS long poll) is cut short by `signal`.
 */
export class PauseGate {
  /** Aborted by `pause()`: one per period the gate is open. */
  private open = new AbortController();
  private opened: Promise<void> = Promise.resolve();
  private openGate: (() => void) | undefined;

  get paused(): boolean {
    return this.openGate !== undefined;
  }

  /** Aborts when the gate closes (already aborted while it is closed): end a waiting read with it. */
  get signal(): AbortSignal {
    return this.open.signal;
  }

  pause(): void {
    if (this.paused) return;
    this.opened = new Promise<void>((resolve) => {
      this.openGate = resolve;
    });
    this.open.abort();
  }

  resume(): void {
    const openGate = this.openGate;
    if (openGate === undefined) return;
    this.openGate = undefined;
    this.open = new AbortController();
    openGate();
  }

  /** Resolves at once while open; otherwise when resumed, or when `signal` aborts (the poller stops). */
  async whenOpen(signal: AbortSignal): Promise<void> {
    if (!this.paused || signal.aborted) return;
    const opened = this.opened;
    await new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      void opened.then(done);
    });
  }
}
