/**
 * The `Resource` of a Task state, as far as the local service runs it. Anything else is refused
 * when the state machine is created, so an unsupported integration fails start-up, not an order.
 */
export type TaskResource =
  | { kind: 'lambda:invoke'; waitForTaskToken: boolean }
  /** The older form: the function's own ARN as the resource; the result is the bare payload. */
  | { kind: 'lambda:function'; functionArn: string }
  | { kind: 'dynamodb'; action: DynamoDbAction }
  /**
   * A nested workflow: `states:startExecution` starts it and goes on; `.sync` waits for it and
   * gets its output as a JSON string, `.sync:2` as JSON.
   */
  | { kind: 'states:startExecution'; wait: 'none' | 'sync' | 'sync:2' };

export const DYNAMODB_ACTIONS = ['getItem', 'putItem', 'updateItem', 'deleteItem'] as const;
export type DynamoDbAction = (typeof DYNAMODB_ACTIONS)[number];

export const SUPPORTED_RESOURCES = [
  'arn:aws:states:::lambda:invoke',
  'arn:aws:states:::lambda:invoke.waitForTaskToken',
  ...DYNAMODB_ACTIONS.map((action) => `arn:aws:states:::dynamodb:${action}`),
  'arn:aws:states:::states:startExecution',
  'arn:aws:states:::states:startExecution.sync',
  'arn:aws:states:::states:startExecution.sync:2',
  'arn:aws:lambda:<region>:<account>:function:<name>',
];

const SERVICE_INTEGRATION = /^arn:aws[a-z-]*:states:::([a-z0-9-]+):([A-Za-z]+)(?:\.(waitForTaskToken|sync|sync:2))?$/;
const LAMBDA_FUNCTION = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9$_-]+)?$/;

/** The supported resource, or why it is not supported. */
export function parseTaskResource(resource: unknown): TaskResource | { unsupported: string } {
  if (typeof resource !== 'string') return { unsupported: 'Resource is not a string' };
  if (LAMBDA_FUNCTION.test(resource)) return { kind: 'lambda:function', functionArn: resource };
  const match = SERVICE_INTEGRATION.exec(resource);
  if (match === null) return { unsupported: `${resource} is not a service integration the local Step Functions runs` };
  const [, service, action, pattern] = match;
  if (service === 'lambda' && action === 'invoke' && (pattern === undefined || pattern === 'waitForTaskToken')) {
    return { kind: 'lambda:invoke', waitForTaskToken: pattern === 'waitForTaskToken' };
  }
  if (service === 'dynamodb' && pattern === undefined && (DYNAMODB_ACTIONS as readonly string[]).includes(action ?? '')) {
    return { kind: 'dynamodb', action: action as DynamoDbAction };
  }
  if (service === 'states' && action === 'startExecution' && pattern !== 'waitForTaskToken') {
    return { kind: 'states:startExecution', wait: pattern === 'sync' || pattern === 'sync:2' ? pattern : 'none' };
  }
  return { unsupported: `${resource} is not a service integration the local Step Functions runs` };
}

/** How a resource appears in history events: `{ resourceType: 'lambda', resource: 'invoke.waitForTaskToken' }`. */
export function historyResource(resource: TaskResource): { resourceType: string; resource: string } {
  switch (resource.kind) {
    case 'lambda:invoke':
      return { resourceType: 'lambda', resource: resource.waitForTaskToken ? 'invoke.waitForTaskToken' : 'invoke' };
    case 'dynamodb':
      return { resourceType: 'dynamodb', resource: resource.action };
    case 'lambda:function':
      return { resourceType: 'lambda', resource: resource.functionArn };
    case 'states:startExecution':
      return { resourceType: 'states', resource: resource.wait === 'none' ? 'startExecution' : `startExecution.${resource.wait}` };
  }
}

/** The `Resource` a Task names, written the way IAM's task mapping reads it (`arn:aws:states:::dynamodb:updateItem`). */
export function taskResourceArn(resource: TaskResource): string {
  switch (resource.kind) {
    case 'lambda:invoke':
      return `arn:aws:states:::lambda:invoke${resource.waitForTaskToken ? '.waitForTaskToken' : ''}`;
    case 'dynamodb':
      return `arn:aws:states:::dynamodb:${resource.action}`;
    case 'lambda:function':
      return resource.functionArn;
    case 'states:startExecution':
      return `arn:aws:states:::states:startExecution${resource.wait === 'none' ? '' : `.${resource.wait}`}`;
  }
}
