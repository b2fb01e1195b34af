import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionStatus, LocalStepFunctions } from './local-step-functions.ts';
import { SfnError } from './errors.ts';
import { answerAwsJson, type AwsJsonService } from '../core/aws-json-protocol.ts';
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

const STATUSES = new Set(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

export class SfnServer {
  private readonly protocol: AwsJsonService<undefined>;
  private readonly http: LoopbackHttpServer;

  constructor(options: SfnServerOptions) {
    this.protocol = {
      targetPrefix: 'AWSStepFunctions.',
      shapeNamespace: 'com.amazonaws.sfn#',
      protocolErrorNamespace: 'com.amazonaws.sfn#',
      internalErrorCode: 'InternalFailure',
      operations: sfnOperations(options.service),
    };
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

  private handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return answerAwsJson(this.protocol, req, res, () => undefined);
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
