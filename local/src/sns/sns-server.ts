import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  errorResponseXml,
  parseQuery,
  publishBatchResponseXml,
  publishResponseXml,
  readBatchEntries,
  readPublishInput,
  type QueryParams,
} from './sns-server-query.ts';
import type { TopicRegistry } from './topic.ts';
import { SnsError, snsErrors } from './topic-validation.ts';
import { closeServer, listenOnLoopback } from '../services/loopback-server.ts';

/**
 * The SNS endpoint for SDK v3 clients (`AWS_ENDPOINT_URL_SNS`): the query protocol over HTTP.
 * Publish and PublishBatch only: topics and subscriptions come from the template, not the API.
 * Signatures are not checked; any credentials do.
 */

export interface SnsServerOptions {
  topics: TopicRegistry;
  /** 0 (the default) picks a free port. */
  port?: number;
}

type Action = (params: QueryParams, requestId: string) => string;

export class SnsServer {
  private readonly topics: TopicRegistry;
  private readonly port: number;
  private readonly actions: Record<string, Action>;
  private server: Server | undefined;
  private url: string | undefined;

  constructor(options: SnsServerOptions) {
    this.topics = options.topics;
    this.port = options.port ?? 0;
    this.actions = {
      Publish: (params, requestId) => {
        const result = this.topics.publish(topicArnOf(params), readPublishInput(params));
        return publishResponseXml(result.messageId, requestId);
      },
      PublishBatch: (params, requestId) => {
        const result = this.topics.publishBatch(requiredTopicArn(params.get('TopicArn')), readBatchEntries(params));
        return publishBatchResponseXml(result, requestId);
      },
    };
  }

  /** The base URL to give clients, e.g. `http://127.0.0.1:4575`; set once started. */
  get endpoint(): string {
    if (!this.url) throw new Error('SNS server is not started');
    return this.url;
  }

  async start(): Promise<string> {
    if (this.server) return this.endpoint;
    const server = createServer((req, res) => void this.handle(req, res));
    this.url = await listenOnLoopback(server, this.port);
    this.server = server;
    return this.url;
  }

  /** Every request is answered synchronously, so only idle keep-alive sockets remain. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.url = undefined;
    await closeServer(server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const params = parseQuery(await readBody(req));
      const actionName = params.get('Action') ?? '';
      const action = req.method === 'POST' ? this.actions[actionName] : undefined;
      if (!action) {
        throw new SnsError('InvalidAction', 400, `The action ${actionName} is not valid for this web service.`);
      }
      reply(res, requestId, 200, action(params, requestId));
    } catch (error) {
      const snsError =
        error instanceof SnsError
          ? error
          : new SnsError('InternalFailure', 500, error instanceof Error ? error.message : String(error), false);
      reply(res, requestId, snsError.statusCode, errorResponseXml(snsError, requestId));
    }
  }
}

function topicArnOf(params: QueryParams): string {
  if (params.get('PhoneNumber')) {
    throw snsErrors.invalidParameter('PhoneNumber Reason: SMS is not emulated locally');
  }
  return requiredTopicArn(params.get('TopicArn') ?? params.get('TargetArn'));
}

function requiredTopicArn(arn: string | null): string {
  if (!arn) throw snsErrors.invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  return arn;
}

function reply(res: ServerResponse, requestId: string, status: number, xml: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  res.end(xml);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
