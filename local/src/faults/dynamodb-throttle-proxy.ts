import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FaultTally } from './fault-tally.ts';
import type { Random } from './random.ts';
import { LoopbackHttpServer } from '../core/loopback-server.ts';

/**
 * An HTTP proxy in front of DynamoDB Local that answers a fraction of data-plane requests the
 * way DynamoDB answers when a table's throughput is exceeded: HTTP 400,
 * `ProvisionedThroughputExceededException`, before the request reaches DynamoDB Local (so
 * nothing is written). Everything else is forwarded unchanged. The SDK's standard retries and
 * the state machines' `Retry` are what must absorb it.
 *
 * Only the functions and the Step Functions service talk to it; the local cloud's own clients
 * (provisioning, the stream pollers) use DynamoDB Local directly. Control-plane calls
 * (`DescribeTable`, …) and the streams API are never throttled.
 */
export interface DynamoDbThrottleProxy {
  endpoint: string;
  /** 0 stops throttling (e.g. before a DLQ redrive); the rate starts at 0 until set. */
  setRate(rate: number): void;
  close(): Promise<void>;
}

const THROTTLED_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function startDynamoDbThrottleProxy(options: {
  target: string;
  random: Random;
  tally: FaultTally;
  /** 0 (the default): any free port. */
  port?: number;
}): Promise<DynamoDbThrottleProxy> {
  const target = new URL(options.target);
  let rate = 0;

  const server = new LoopbackHttpServer('DynamoDB throttle proxy', options.port ?? 0, (incoming, outgoing) => {
    readBody(incoming)
      .then((body) => {
        const operation = String(incoming.headers['x-amz-target'] ?? '').replace(/^DynamoDB_20120810\./, '');
        if (rate > 0 && THROTTLED_OPERATIONS.has(operation) && options.random() < rate) {
          options.tally.record('DynamoDB', `ProvisionedThroughputExceededException (${operation})`, body.toString('utf8'));
          return throttle(outgoing);
        }
        forward(incoming, body, outgoing, target);
      })
      .catch((error: unknown) => {
        if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(`Local DynamoDB throttle proxy: ${error instanceof Error ? error.message : String(error)}`);
      });
  }, { keepAliveTimeoutMs: 30_000 });
  const endpoint = await server.start();

  return {
    endpoint,
    setRate(next) {
      if (!(next >= 0 && next <= 1)) throw new Error(`A throttle rate is from 0 to 1, not ${next}`);
      rate = next;
    },
    close: () => server.stop(),
  };
}

function throttle(response: ServerResponse): void {
  const body = JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded. (injected by the local fault plan)',
  });
  response
    .writeHead(400, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': crypto.randomUUID(),
    })
    .end(body);
}

function forward(incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse, target: URL): void {
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: { ...incoming.headers, host: target.host },
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  upstream.on('error', (error) => {
    if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
    outgoing.end(`DynamoDB Local did not answer: ${error.message}`);
  });
  upstream.end(body);
}

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
