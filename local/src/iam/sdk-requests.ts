import { isRecord } from '../template/template-types.ts';
import type { RequestContext } from './evaluate.ts';
import { deploymentGroupOfLocalId } from '../codedeploy/deployment-ids.ts';

/**
 * What IAM checks for one AWS SDK v3 call: the action(s), the resource ARN(s) and the condition
 * keys AWS puts in the request context (Service Authorization Reference, per service). One call
 * may need several checks: a DynamoDB transaction needs each item's action on each item's table,
 * a batch needs the batch action on every table it names.
 */

export interface AuthorizationCheck {
  action: string;
  resource: string;
  context: RequestContext;
}

export interface SdkCall {
  /** The client's service id, as `client.config.serviceId` has it: `DynamoDB`, `SNS`, `SQS`, `SFN`, `Lambda`, … */
  service: string;
  /** The SDK command, e.g. `PutItemCommand` (a document client's `PutCommand` reaches the client as `PutItemCommand`). */
  command: string;
  input: Record<string, unknown>;
}

export interface Location {
  partition: string;
  region: string;
  accountId: string;
}

/** The IAM service prefix of each SDK service id. */
const PREFIX: Record<string, string> = {
  DynamoDB: 'dynamodb',
  'DynamoDB Streams': 'dynamodb',
  SNS: 'sns',
  SQS: 'sqs',
  SFN: 'states',
  Lambda: 'lambda',
  'Cognito Identity Provider': 'cognito-idp',
  KMS: 'kms',
  EventBridge: 'events',
  S3: 's3',
  CodeDeploy: 'codedeploy',
};

/** DynamoDB transaction entry → the action AWS authorizes it as. */
const TRANSACT_WRITE_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/** SQS batch operations are authorized as their single-message action. */
const SQS_ACTIONS: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

export function authorizationChecks(call: SdkCall, location: Location): AuthorizationCheck[] {
  const operation = call.command.replace(/Command$/, '');
  const prefix = PREFIX[call.service] ?? call.service.toLowerCase().replace(/\s+/g, '-');
  const context: RequestContext = { 'aws:RequestedRegion': location.region };
  const arn = (service: string, resource: string) => `arn:${location.partition}:${service}:${location.region}:${location.accountId}:${resource}`;
  const single = (action: string, resource: string, extra: RequestContext = {}): AuthorizationCheck[] => [
    { action, resource, context: { ...context, ...extra } },
  ];
  const input = call.input;

  switch (prefix) {
    case 'dynamodb':
      return dynamoDbChecks(operation, input, context, (table) => (table.startsWith('arn:') ? table : arn('dynamodb', `table/${table}`)));
    case 'sns': {
      const target = String(input.TopicArn ?? input.TargetArn ?? '*');
      const action = operation === 'PublishBatch' ? 'Publish' : operation;
      return single(`sns:${action}`, target);
    }
    case 'sqs': {
      const queue = queueArn(input, arn);
      return single(`sqs:${SQS_ACTIONS[operation] ?? operation}`, queue);
    }
    case 'states':
      return single(`states:${operation}`, stepFunctionsResource(operation, input));
    case 'lambda':
      return single(
        `lambda:${operation === 'Invoke' || operation === 'InvokeAsync' || operation === 'InvokeWithResponseStream' ? 'InvokeFunction' : operation}`,
        qualified(lambdaFunctionArn(String(input.FunctionName ?? '*'), arn), input.Qualifier),
      );
    case 'codedeploy': {
      // A hook's report is authorized on the deployment's group, which a local deployment id
      // names. An id the local CodeDeploy did not make names no deployment, and no group to
      // authorize on: it is left to CodeDeploy, which answers DeploymentDoesNotExistException.
      if (typeof input.deploymentId !== 'string') return single(`codedeploy:${operation}`, '*');
      const group = deploymentGroupOfLocalId(input.deploymentId);
      return group === undefined ? [] : single(`codedeploy:${operation}`, arn('codedeploy', `deploymentgroup:${group}`));
    }
    case 'cognito-idp':
      return single(`cognito-idp:${operation}`, input.UserPoolId ? arn('cognito-idp', `userpool/${String(input.UserPoolId)}`) : '*');
    default:
      // No resource known for this service: `*`, which only a `Resource: '*'` grant matches.
      return single(`${prefix}:${operation}`, '*');
  }
}

function dynamoDbChecks(operation: string, input: Record<string, unknown>, context: RequestContext, tableArn: (table: string) => string): AuthorizationCheck[] {
  const withKeys = (extra: Record<string, unknown>): RequestContext => {
    const keys: RequestContext = { ...context };
    for (const [key, value] of Object.entries(extra)) if (typeof value === 'string') keys[`dynamodb:${key}`] = value;
    return keys;
  };
  switch (operation) {
    case 'TransactWriteItems':
      return (input.TransactItems as Array<Record<string, unknown>> | undefined ?? []).flatMap((item) =>
        Object.entries(item).flatMap(([kind, request]) => {
          const action = TRANSACT_WRITE_ACTIONS[kind];
          if (action === undefined || !isRecord(request)) return [];
          return [{ action, resource: tableArn(String(request.TableName)), context: withKeys({ ReturnValues: request.ReturnValuesOnConditionCheckFailure }) }];
        }),
      );
    case 'TransactGetItems':
      return (input.TransactItems as Array<{ Get?: { TableName?: string } }> | undefined ?? []).map((item) => ({
        action: 'dynamodb:GetItem',
        resource: tableArn(String(item.Get?.TableName)),
        context,
      }));
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys(isRecord(input.RequestItems) ? input.RequestItems : {}).map((table) => ({
        action: `dynamodb:${operation}`,
        resource: tableArn(table),
        context,
      }));
    case 'Query':
    case 'Scan': {
      const table = tableArn(String(input.TableName));
      const resource = typeof input.IndexName === 'string' ? `${table}/index/${input.IndexName}` : table;
      return [{ action: `dynamodb:${operation}`, resource, context: withKeys({ Select: input.Select }) }];
    }
    case 'ListTables':
      return [{ action: 'dynamodb:ListTables', resource: '*', context }];
    default:
      return [
        {
          action: `dynamodb:${operation}`,
          resource: tableArn(String(input.TableName ?? input.ResourceArn ?? input.StreamArn ?? '*')),
          context: withKeys({ ReturnValues: input.ReturnValues }),
        },
      ];
  }
}

/** The queue a call names, by URL (`…/000000000000/Name`), or by `QueueName` for GetQueueUrl. */
function queueArn(input: Record<string, unknown>, arn: (service: string, resource: string) => string): string {
  if (typeof input.QueueUrl === 'string') {
    const match = /\/(\d{12})\/([^/?]+)\/?$/.exec(input.QueueUrl);
    if (match) return arn('sqs', match[2]!).replace(/:\d{12}:/, `:${match[1]}:`);
  }
  if (typeof input.QueueName === 'string') return arn('sqs', input.QueueName);
  return '*';
}

/** SendTask* and the activity token calls have no resource-level permissions: their resource is `*`. */
function stepFunctionsResource(operation: string, input: Record<string, unknown>): string {
  if (/^SendTask(Success|Failure|Heartbeat)$/.test(operation)) return '*';
  // SDK inputs are camelCase; a Task state's Parameters (states:startExecution) are PascalCase.
  const named = input.stateMachineArn ?? input.executionArn ?? input.activityArn ?? input.mapRunArn ?? input.StateMachineArn ?? input.ExecutionArn;
  return typeof named === 'string' ? named : '*';
}

/** `Name`, `Name:alias`, `123456789012:function:Name` or a full ARN → the function's ARN (qualifier kept). */
function lambdaFunctionArn(name: string, arn: (service: string, resource: string) => string): string {
  if (name.startsWith('arn:')) return name;
  const partial = /^(\d{12}):function:(.+)$/.exec(name);
  if (partial) return arn('lambda', `function:${partial[2]}`).replace(/:\d{12}:/, `:${partial[1]}:`);
  return arn('lambda', `function:${name}`);
}

/** Invoke's separate `Qualifier` is authorized as the qualified ARN (`…:function:Name:live`). */
function qualified(functionArn: string, qualifier: unknown): string {
  return typeof qualifier === 'string' && qualifier !== '' && !/:function:[^:]+:/.test(functionArn) ? `${functionArn}:${qualifier}` : functionArn;
}

/** Step Functions optimized integrations → the SDK call each one makes with the state machine's role. */
const TASK_SERVICES: Record<string, string> = { lambda: 'Lambda', dynamodb: 'DynamoDB', sns: 'SNS', sqs: 'SQS', states: 'SFN' };

/**
 * What IAM checks when a Task state runs `arn:aws:states:::<service>:<action>[.waitForTaskToken]`
 * with its (resolved) `Parameters`: the same as the SDK call the integration makes, with the
 * state machine's role (`lambda:invoke` is Lambda's Invoke, `dynamodb:updateItem` DynamoDB's
 * UpdateItem, …). A Task whose `Resource` is a function ARN invokes that function. Undefined for
 * a resource this does not know (an activity, an AWS SDK integration).
 */
export function stepFunctionsTaskChecks(taskResource: string, parameters: Record<string, unknown>, location: Location): AuthorizationCheck[] | undefined {
  if (/^arn:[^:]+:lambda:/.test(taskResource)) {
    return authorizationChecks({ service: 'Lambda', command: 'InvokeCommand', input: { FunctionName: taskResource } }, location);
  }
  const match = /^arn:[^:]+:states:::([a-z0-9-]+):([A-Za-z]+)(?:\.(?:waitForTaskToken|sync(?::2)?))?$/.exec(taskResource);
  const service = match ? TASK_SERVICES[match[1]!] : undefined;
  if (!match || service === undefined) return undefined;
  const operation = match[2] === 'invoke' ? 'Invoke' : match[2]!.charAt(0).toUpperCase() + match[2]!.slice(1);
  return authorizationChecks({ service, command: `${operation}Command`, input: parameters }, location);
}
