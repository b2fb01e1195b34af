import type { IncomingMessage, ServerResponse } from 'node:http';
import { publishBatchResultXml, publishResultXml, readBatchEntries, readPublishInput, type QueryParams } from './sns-server-query.ts';
import type { TopicRegistry } from './topic.ts';
import { snsErrors } from './topic-validation.ts';
import { answerAwsQuery, type AwsQueryService } from '../core/aws-query-protocol.ts';
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

export class SnsServer {
  private readonly topics: TopicRegistry;
  private readonly protocol: AwsQueryService;
  private readonly http: LoopbackHttpServer;

  constructor(options: SnsServerOptions) {
    this.topics = options.topics;
    this.http = new LoopbackHttpServer('SNS server', options.port ?? 0, (req, res) => void this.handle(req, res));
    this.protocol = {
      xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/',
      actions: {
        Publish: (params) => publishResultXml(this.topics.publish(topicArnOf(params), readPublishInput(params)).messageId),
        PublishBatch: (params) => publishBatchResultXml(this.topics.publishBatch(requiredTopicArn(params.get('TopicArn')), readBatchEntries(params))),
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

  private handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return answerAwsQuery(this.protocol, req, res);
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
