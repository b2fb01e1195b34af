import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP endpoint on 127.0.0.1 (port 0: any free port), the way every local endpoint (the API,
 * SQS, SNS, Step Functions, the control endpoint, the DynamoDB throttle proxy) is served: start
 * once, give clients `endpoint`, stop with its keep-alive connections.
 */
export class LoopbackHttpServer {
  private server: Server | undefined;
  private url: string | undefined;

  constructor(
    private readonly name: string,
    private readonly port: number,
    private readonly handle: (req: IncomingMessage, res: ServerResponse) => void,
    private readonly options: { host?: string; keepAliveTimeoutMs?: number } = {},
  ) {}

  private get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** The base URL to give clients, e.g. `http://127.0.0.1:8710`; set once started. */
  get endpoint(): string {
    if (!this.url) throw new Error(`${this.name} is not started`);
    return this.url;
  }

  /** The port it listens on; set once started. */
  get listeningPort(): number {
    if (!this.server) throw new Error(`${this.name} is not started`);
    return (this.server.address() as AddressInfo).port;
  }

  async start(): Promise<string> {
    if (this.server) return this.endpoint;
    const server = createServer(this.handle);
    if (this.options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = this.options.keepAliveTimeoutMs;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.url = `http://${this.host}:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  /**
   * Closes the server and its keep-alive connections. `beforeClosingConnections` runs first, for
   * servers that must answer requests still in flight (say, long polls) before their sockets go.
   */
  async stop(beforeClosingConnections?: () => Promise<unknown>): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.url = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await beforeClosingConnections?.();
    server.closeAllConnections();
    await closed;
  }
}

/** A request's whole body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
