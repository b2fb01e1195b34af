import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SfnError } from './errors.ts';
import type { ExecutionStatus, LocalStepFunctions } from './local-step-functions.ts';
import { LoopbackHttpServer } from '../core/loopback-server.ts';

/**
 * The Step Functions endpoint for SDK v3 clients (`AWS_ENDPOINT_URL_SFN`): AWS JSON 1.0 over
 * HTTP, `X-Amz-Target: AWSStepFunctions.<Action>`, dates as epoch seconds, errors as
 * `{ "__type", "message" }`. Signatures are not checked; any credentials do.
 */

export interface SfnServerOptions {
  service: LocalStepFunctions;
  /** 0 (the default) picks a free port. */
  port?: number;
}

type Operation = (input: Record<string, unknown>) => unknown;

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const SHAPE_NAMESPACE = 'com.amazonaws.sfn#';
const STATUSES = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

export class SfnServer {
  private readonly operations: Record<string, Operation>;
  private readonly http: LoopbackHttpServer;

  constructor(options: SfnServerOptions) {
    this.operations = sfnOperations(options.service);
    this.http = new LoopbackHttpServer('Step Functions server', options.port ?? 0, (req, res) => void this.handle(req, res));
  }

  /** The base URL to give clients, e.g. `http://127.0.0.1:8740`; set once started. */
  get endpoint(): string {
    return this.http.endpoint;
  }

  start(): Promise<string> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX) ? this.operations[target.slice(TARGET_PREFIX.length)] : undefined;
      if (req.method !== 'POST' || operation === undefined) {
        return reply(res, requestId, 400, errorBody('UnknownOperationException', `Unknown operation ${target}`));
      }
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        return reply(res, requestId, 400, errorBody('SerializationException', 'Invalid JSON body'));
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return reply(res, requestId, 400, errorBody('SerializationException', 'Expected a JSON object'));
      }
      reply(res, requestId, 200, await operation(input as Record<string, unknown>));
    } catch (error) {
      if (error instanceof SfnError) return reply(res, requestId, error.statusCode, errorBody(error.type, error.message));
      reply(res, requestId, 500, errorBody('InternalFailure', error instanceof Error ? error.message : String(error)));
    }
  }
}

function sfnOperations(service: LocalStepFunctions): Record<string, Operation> {
  return {
    StartExecution: (input) =>
      service.startExecution({
        stateMachineArn: required(input, 'stateMachineArn'),
        name: optional(input, 'name'),
        input: optional(input, 'input'),
      }),
    DescribeExecution: (input) => service.describeExecution(required(input, 'executionArn')),
    StopExecution: (input) =>
      service.stopExecution({ executionArn: required(input, 'executionArn'), error: optional(input, 'error'), cause: optional(input, 'cause') }),
    ListExecutions: (input) => {
      const statusFilter = optional(input, 'statusFilter');
      if (statusFilter !== undefined && !STATUSES.has(statusFilter)) {
        throw new SfnError('ValidationException', `1 validation error detected: Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint`);
      }
      const executions = service.listExecutions({ stateMachineArn: required(input, 'stateMachineArn'), statusFilter: statusFilter as ExecutionStatus | undefined });
      return page('executions', executions, input);
    },
    GetExecutionHistory: (input) => {
      const events = service.getExecutionHistory({
        executionArn: required(input, 'executionArn'),
        reverseOrder: input.reverseOrder === true,
        includeExecutionData: input.includeExecutionData !== false,
      });
      return page('events', events, input);
    },
    SendTaskSuccess: (input) => {
      service.sendTaskSuccess({ taskToken: required(input, 'taskToken'), output: required(input, 'output') });
      return {};
    },
    SendTaskFailure: (input) => {
      service.sendTaskFailure({ taskToken: required(input, 'taskToken'), error: optional(input, 'error'), cause: optional(input, 'cause') });
      return {};
    },
    SendTaskHeartbeat: (input) => {
      service.sendTaskHeartbeat({ taskToken: required(input, 'taskToken') });
      return {};
    },
    DescribeStateMachine: (input) => {
      const { logicalId: _logicalId, ...description } = service.describeStateMachine(required(input, 'stateMachineArn'));
      return description;
    },
    ListStateMachines: (input) =>
      page(
        'stateMachines',
        service.listStateMachines().map(({ stateMachineArn, name, type, creationDate }) => ({ stateMachineArn, name, type, creationDate })),
        input,
      ),
  };
}

function required(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string') {
    throw new SfnError('ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function optional(input: Record<string, unknown>, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SfnError('ValidationException', `Value at '${member}' must be a string`);
  return value;
}

/** `maxResults` (0 means the default, 100; at most 1000) and an opaque `nextToken`. */
function page<T>(member: string, items: T[], input: Record<string, unknown>): Record<string, unknown> {
  const maxResults = typeof input.maxResults === 'number' && input.maxResults > 0 ? input.maxResults : 100;
  if (maxResults > 1000) throw new SfnError('ValidationException', `Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  let start = 0;
  if (typeof input.nextToken === 'string') {
    start = Number(Buffer.from(input.nextToken, 'base64url').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw new SfnError('InvalidToken', 'Invalid Token: nextToken');
  }
  const end = start + maxResults;
  return {
    [member]: items.slice(start, end),
    ...(end < items.length && { nextToken: Buffer.from(`offset:${end}`).toString('base64url') }),
  };
}

function errorBody(type: string, message: string) {
  return { __type: SHAPE_NAMESPACE + type, message };
}

function reply(res: ServerResponse, requestId: string, status: number, body: unknown): void {
  if (res.destroyed) return;
  // JSON 1.0 timestamps are epoch seconds.
  const payload = JSON.stringify(body, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  });
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': requestId,
  });
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
