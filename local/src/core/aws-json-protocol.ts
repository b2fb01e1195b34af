import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from './aws-error.ts';
import { readBody } from './loopback-server.ts';

/**
 * The AWS JSON 1.0 protocol, server side: `POST` with `X-Amz-Target: <prefix><Operation>`, a
 * JSON object in and out, timestamps as epoch seconds, errors as `{ "__type", "message" }`.
 * SQS and Step Functions speak it; each names its target prefix and error namespaces.
 */
export interface AwsJsonService<Context> {
  /** `AmazonSQS.`, `AWSStepFunctions.`. */
  targetPrefix: string;
  /** The namespace of the service's own error shapes, e.g. `com.amazonaws.sqs#`. */
  shapeNamespace: string;
  /** The namespace of protocol errors (unknown operation, a body that is not a JSON object). */
  protocolErrorNamespace: string;
  /** The code of an unexpected failure (`InternalError`, `InternalFailure`). */
  internalErrorCode: string;
  /** awsQueryCompatible services (SQS) also send the query-protocol code in `x-amzn-query-error`. */
  queryCompatible?: boolean;
  operations: Record<string, (input: Record<string, unknown>, context: Context) => unknown>;
}

/** Answers one request: finds the operation, runs it, writes its output or its error. */
export async function answerAwsJson<Context>(
  service: AwsJsonService<Context>,
  req: IncomingMessage,
  res: ServerResponse,
  context: (req: IncomingMessage) => Context,
): Promise<void> {
  const requestId = randomUUID();
  const fail = (error: AwsError, namespace: string) => {
    const queryError = service.queryCompatible ? `${error.queryCode};${error.senderFault ? 'Sender' : 'Receiver'}` : undefined;
    reply(res, requestId, error.statusCode, { __type: namespace + error.code, message: error.message }, queryError);
  };
  try {
    const body = (await readBody(req)).toString('utf8');
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(service.targetPrefix) ? service.operations[target.slice(service.targetPrefix.length)] : undefined;
    if (req.method !== 'POST' || operation === undefined) {
      return fail(new AwsError('UnknownOperationException', 400, `Unknown operation ${target}`, { queryCode: 'UnknownOperation' }), service.protocolErrorNamespace);
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body);
    } catch {
      return fail(new AwsError('SerializationException', 400, 'Invalid JSON body'), service.protocolErrorNamespace);
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return fail(new AwsError('SerializationException', 400, 'Expected a JSON object'), service.protocolErrorNamespace);
    }
    reply(res, requestId, 200, await operation(input as Record<string, unknown>, context(req)));
  } catch (error) {
    if (error instanceof AwsError) return fail(error, service.shapeNamespace);
    const message = error instanceof Error ? error.message : String(error);
    fail(new AwsError(service.internalErrorCode, 500, message, { senderFault: false }), service.shapeNamespace);
  }
}

function reply(res: ServerResponse, requestId: string, status: number, body: unknown, queryError?: string): void {
  if (res.destroyed) return;
  // JSON 1.0 timestamps are epoch seconds.
  const payload = JSON.stringify(body, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  });
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': requestId,
    ...(queryError && { 'x-amzn-query-error': queryError }),
  });
  res.end(payload);
}
