import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SqsError } from './errors.ts';
import type { QueueRegistry } from './registry.ts';
import { createSqsOperations, type SqsOperation } from './sqs-operations.ts';
import { LoopbackHttpServer } from '../core/loopback-server.ts';

/**
 * The SQS endpoint for SDK v3 clients (`AWS_ENDPOINT_URL_SQS`): AWS JSON 1.0 over HTTP,
 * `X-Amz-Target: AmazonSQS.<Action>`. Signatures are not checked; any credentials do.
 */

export interface SqsServerOptions {
  registry: QueueRegistry;
  /** 0 (the default) picks a free port. */
  port?: number;
}

const TARGET_PREFIX = 'AmazonSQS.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const SHAPE_NAMESPACE = 'com.amazonaws.sqs#';

export class SqsServer {
  private readonly operations: Record<string, SqsOperation>;
  private readonly http: LoopbackHttpServer;
  // Aborting it ends every long poll this server is holding open.
  private lifetime = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: SqsServerOptions) {
    this.operations = createSqsOperations(options.registry);
    this.http = new LoopbackHttpServer('SQS server', options.port ?? 0, (req, res) => {
      const handling = this.handle(req, res).finally(() => this.inFlight.delete(handling));
      this.inFlight.add(handling);
    });
  }

  /** The base URL to give clients, e.g. `http://127.0.0.1:8710`; set once started. */
  get endpoint(): string {
    return this.http.endpoint;
  }

  start(): Promise<string> {
    if (!this.http.running) this.lifetime = new AbortController();
    return this.http.start();
  }

  stop(): Promise<void> {
    // Aborting answers the held long polls at once; once every answer is written, keep-alive
    // sockets are all that is left, and they can go.
    return this.http.stop(() => {
      this.lifetime.abort();
      return Promise.allSettled([...this.inFlight]);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    // A client that goes away mid long poll must not take messages with it.
    const request = new AbortController();
    res.once('close', () => request.abort());
    try {
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX)
        ? this.operations[target.slice(TARGET_PREFIX.length)]
        : undefined;
      if (req.method !== 'POST' || !operation) {
        return reply(res, requestId, 400, errorBody('com.amazon.coral.service#UnknownOperationException', `Unknown operation ${target}`), 'UnknownOperation;Sender');
      }
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        return reply(res, requestId, 400, errorBody('com.amazon.coral.service#SerializationException', 'Invalid JSON body'), 'SerializationException;Sender');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return reply(res, requestId, 400, errorBody('com.amazon.coral.service#SerializationException', 'Expected a JSON object'), 'SerializationException;Sender');
      }
      const output = await operation(input as Record<string, unknown>, {
        endpoint: `http://${req.headers.host ?? '127.0.0.1'}`,
        signal: AbortSignal.any([this.lifetime.signal, request.signal]),
      });
      reply(res, requestId, 200, output);
    } catch (error) {
      if (error instanceof SqsError) {
        const fault = error.senderFault ? 'Sender' : 'Receiver';
        return reply(res, requestId, error.statusCode, errorBody(SHAPE_NAMESPACE + error.type, error.message), `${error.queryCode};${fault}`);
      }
      const message = error instanceof Error ? error.message : String(error);
      reply(res, requestId, 500, errorBody(SHAPE_NAMESPACE + 'InternalError', message), 'InternalError;Receiver');
    }
  }
}

function errorBody(type: string, message: string) {
  return { __type: type, message };
}

function reply(
  res: ServerResponse,
  requestId: string,
  status: number,
  body: unknown,
  queryError?: string,
): void {
  if (res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': requestId,
    ...(queryError && { 'x-amzn-query-error': queryError }),
  });
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
