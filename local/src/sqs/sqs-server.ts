import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueueRegistry } from './registry.ts';
import { createSqsOperations, type SqsOperation, type SqsOperationContext } from './sqs-operations.ts';
import { answerAwsJson, type AwsJsonService } from '../core/aws-json-protocol.ts';
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

const SQS_PROTOCOL = (operations: Record<string, SqsOperation>): AwsJsonService<SqsOperationContext> => ({
  targetPrefix: 'AmazonSQS.',
  shapeNamespace: 'com.amazonaws.sqs#',
  protocolErrorNamespace: 'com.amazon.coral.service#',
  internalErrorCode: 'InternalError',
  // SQS is awsQueryCompatible: SDK v3 reads the legacy code from x-amzn-query-error.
  queryCompatible: true,
  operations,
});

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

  private handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A client that goes away mid long poll must not take messages with it.
    const request = new AbortController();
    res.once('close', () => request.abort());
    return answerAwsJson(SQS_PROTOCOL(this.operations), req, res, () => ({
      endpoint: `http://${req.headers.host ?? '127.0.0.1'}`,
      signal: AbortSignal.any([this.lifetime.signal, request.signal]),
    }));
  }
}
