import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Listens on 127.0.0.1 (port 0: any free port) and returns the base URL, e.g.
 * `http://127.0.0.1:8710`. Every local endpoint (SQS, SNS, Step Functions, …) starts this way.
 */
export async function listenOnLoopback(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Closes a server and its keep-alive connections. `beforeClosingConnections` runs first, for
 * servers that must answer requests still in flight (say, long polls) before their sockets go.
 */
export async function closeServer(server: Server, beforeClosingConnections?: () => Promise<unknown>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await beforeClosingConnections?.();
  server.closeAllConnections();
  await closed;
}
