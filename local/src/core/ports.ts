import { createServer } from 'node:net';

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/**
 * Fails if the port cannot be bound on all interfaces (DynamoDB Local binds there, so a
 * 127.0.0.1-only check would miss a clash with it).
 */
export async function assertPortFree(port: number, purpose: string, envVariable: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '0.0.0.0', exclusive: true }, () => probe.close(() => resolve(true)));
  });
  if (!free) {
    throw new PortInUseError(`Port ${port} (${purpose}) is already in use. Is another local cloud running? Pick another port with ${envVariable}=<port>.`);
  }
}

/** Checks several ports at once and reports every busy one, not just the first. */
export async function assertPortsFree(ports: Array<{ port: number; purpose: string; envVariable: string }>): Promise<void> {
  const results = await Promise.allSettled(ports.map(({ port, purpose, envVariable }) => assertPortFree(port, purpose, envVariable)));
  const busy = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
  if (busy.length === 1) throw busy[0];
  if (busy.length > 1) throw new PortInUseError(busy.map((error) => error.message).join('\n'));
}

/**
 * Ports this process has handed out, on `globalThis` so that every copy of this module shares it
 * (vitest loads each project's global setup with its own module instances, in one process).
 */
const handedOut: Set<number> = ((globalThis as { [key: symbol]: Set<number> | undefined })[Symbol.for('serverless-orders.handed-out-ports')] ??= new Set());

/**
 * A port the OS says is free right now, never one this process handed out before (for tests,
 * which run beside a developer's `npm start`). The OS may offer a port again as soon as its probe
 * is closed, before the service it was meant for binds it (DynamoDB Local and cognito-local take
 * seconds to start): two local clouds started side by side, as the test projects' global setups
 * do, would otherwise be given the same port.
 */
export const freePort = portAllocator(osFreePort, handedOut);

/** Ports from `probe`, skipping any already in `handedOut` (which it adds to). */
export function portAllocator(probe: () => Promise<number>, handedOut: Set<number>): () => Promise<number> {
  return async () => {
    for (;;) {
      const port = await probe();
      if (!handedOut.has(port)) {
        handedOut.add(port);
        return port;
      }
    }
  };
}

function osFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '0.0.0.0' }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns true; readiness by polling, never by sleeping a fixed time. */
export async function waitUntil(
  description: string,
  check: () => Promise<boolean>,
  { timeoutMs = 30_000, intervalMs = 50, abort }: { timeoutMs?: number; intervalMs?: number; abort?: () => Error | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const aborted = abort?.();
    if (aborted !== undefined) throw aborted;
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
