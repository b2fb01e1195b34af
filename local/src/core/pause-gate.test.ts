import { describe, expect, it } from 'vitest';
import { PauseGate } from './pause-gate.ts';

describe('PauseGate', () => {
  it('lets pollers through while open and holds them while paused, until resumed', async () => {
    const gate = new PauseGate();
    const running = new AbortController().signal;
    await gate.whenOpen(running); // open: resolves at once
    const readSignal = gate.signal;
    gate.pause();
    expect(gate.paused).toBe(true);
    expect(readSignal.aborted).toBe(true); // a read waiting since before the pause is cut short
    let passed = false;
    const waiting = gate.whenOpen(running).then(() => (passed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(passed).toBe(false);
    gate.resume();
    await waiting;
    expect(passed).toBe(true);
    expect(gate.paused).toBe(false);
    expect(gate.signal.aborted).toBe(false);
  });

  it('releases a paused poller that is being stopped', async () => {
    const gate = new PauseGate();
    gate.pause();
    const stopping = new AbortController();
    const waiting = gate.whenOpen(stopping.signal);
    stopping.abort();
    await waiting;
    expect(gate.paused).toBe(true);
  });
});
