import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
import { LoopbackHttpServer } from '../core/loopback-server.ts';

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
  private readonly actions: Record<string, Action>;
  private readonly http: LoopbackHttpServer;

  constructor(options: SnsServerOptions) {
    this.topics = options.topics;
    this.http = new LoopbackHttpServer('SNS server', options.port ?? 0, (req, res) => void this.handle(req, res));
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

  /** The base URL to give clients, e.g. `http://127.0.0.1:8720`; set once started. */
  get endpoint(): string {
    return this.http.endpoint;
  }

  start(): Promise<string> {
    return this.http.start();
  }

  /** Every request is answered synchronously, so only idle keep-alive sockets remain. */
  stop(): Promise<void> {
    return this.http.stop();
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
