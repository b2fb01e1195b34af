import { describe, expect, it } from 'vitest';
import { authorizationChecks, type SdkCall, stepFunctionsTaskChecks } from './sdk-requests.ts';

const here = { partition: 'aws', region: 'us-east-1', accountId: '000000000000' };
const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/OrdersTable';
const checks = (service: string, command: string, input: Record<string, unknown>) =>
  authorizationChecks({ service, command, input } satisfies SdkCall, here).map(({ action, resource }) => `${action} ${resource}`);

describe('authorizationChecks: the IAM action and resource of each SDK call the functions make', () => {
  it('single-item DynamoDB calls are checked on the table', () => {
    for (const command of ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']) {
      expect(checks('DynamoDB', `${command}Command`, { TableName: 'OrdersTable', Key: {} })).toEqual([`dynamodb:${command} ${TABLE}`]);
    }
  });

  it('a Query names the index it reads, when it reads one', () => {
    expect(checks('DynamoDB', 'QueryCommand', { TableName: 'OrdersTable' })).toEqual([`dynamodb:Query ${TABLE}`]);
    expect(checks('DynamoDB', 'QueryCommand', { TableName: 'OrdersTable', IndexName: 'GSI1' })).toEqual([`dynamodb:Query ${TABLE}/index/GSI1`]);
  });

  it('a transaction is checked item by item, a ConditionCheck as dynamodb:ConditionCheckItem', () => {
    const input = {
      TransactItems: [
        { Put: { TableName: 'OrdersTable', Item: {} } },
        { Update: { TableName: 'OrdersTable', Key: {} } },
        { Delete: { TableName: 'Other', Key: {} } },
        { ConditionCheck: { TableName: 'OrdersTable', Key: {}, ConditionExpression: 'x' } },
      ],
    };
    expect(checks('DynamoDB', 'TransactWriteItemsCommand', input)).toEqual([
      `dynamodb:PutItem ${TABLE}`,
      `dynamodb:UpdateItem ${TABLE}`,
      'dynamodb:DeleteItem arn:aws:dynamodb:us-east-1:000000000000:table/Other',
      `dynamodb:ConditionCheckItem ${TABLE}`,
    ]);
    expect(checks('DynamoDB', 'TransactGetItemsCommand', { TransactItems: [{ Get: { TableName: 'OrdersTable', Key: {} } }] })).toEqual([`dynamodb:GetItem ${TABLE}`]);
  });

  it('a batch is checked once per table it names', () => {
    expect(checks('DynamoDB', 'BatchGetItemCommand', { RequestItems: { OrdersTable: { Keys: [] }, Other: { Keys: [] } } })).toEqual([
      `dynamodb:BatchGetItem ${TABLE}`,
      'dynamodb:BatchGetItem arn:aws:dynamodb:us-east-1:000000000000:table/Other',
    ]);
    expect(checks('DynamoDB', 'BatchWriteItemCommand', { RequestItems: { OrdersTable: [] } })).toEqual([`dynamodb:BatchWriteItem ${TABLE}`]);
  });

  it('SNS Publish is checked on the topic', () => {
    const topic = 'arn:aws:sns:us-east-1:000000000000:OrderEventsTopic';
    expect(checks('SNS', 'PublishCommand', { TopicArn: topic, Message: '{}' })).toEqual([`sns:Publish ${topic}`]);
    expect(checks('SNS', 'PublishBatchCommand', { TopicArn: topic, PublishBatchRequestEntries: [] })).toEqual([`sns:Publish ${topic}`]);
  });

  it('SQS calls are checked on the queue their URL names; batches as their single action', () => {
    const url = 'http://127.0.0.1:8710/000000000000/FulfilmentQueue';
    const arn = 'arn:aws:sqs:us-east-1:000000000000:FulfilmentQueue';
    expect(checks('SQS', 'SendMessageCommand', { QueueUrl: url })).toEqual([`sqs:SendMessage ${arn}`]);
    expect(checks('SQS', 'SendMessageBatchCommand', { QueueUrl: url })).toEqual([`sqs:SendMessage ${arn}`]);
    expect(checks('SQS', 'DeleteMessageBatchCommand', { QueueUrl: url })).toEqual([`sqs:DeleteMessage ${arn}`]);
    expect(checks('SQS', 'GetQueueUrlCommand', { QueueName: 'FulfilmentQueue' })).toEqual([`sqs:GetQueueUrl ${arn}`]);
  });

  it('Step Functions: StartExecution on the state machine, SendTask* on `*` (no resource-level permissions)', () => {
    const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:FulfilmentStateMachine';
    expect(checks('SFN', 'StartExecutionCommand', { stateMachineArn: machine, name: 'o-1' })).toEqual([`states:StartExecution ${machine}`]);
    for (const command of ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat']) {
      expect(checks('SFN', `${command}Command`, { taskToken: 't' })).toEqual([`states:${command} *`]);
    }
  });

  it('Lambda Invoke is lambda:InvokeFunction on the function, however it is named', () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:ReserveStockFunction';
    expect(checks('Lambda', 'InvokeCommand', { FunctionName: 'ReserveStockFunction' })).toEqual([`lambda:InvokeFunction ${arn}`]);
    expect(checks('Lambda', 'InvokeCommand', { FunctionName: arn })).toEqual([`lambda:InvokeFunction ${arn}`]);
    expect(checks('Lambda', 'InvokeCommand', { FunctionName: '000000000000:function:ReserveStockFunction' })).toEqual([`lambda:InvokeFunction ${arn}`]);
  });

  it('puts the requested region in the context of every check', () => {
    const [check] = authorizationChecks({ service: 'DynamoDB', command: 'GetItemCommand', input: { TableName: 'OrdersTable' } }, here);
    expect(check?.context['aws:RequestedRegion']).toBe('us-east-1');
  });
});

describe('stepFunctionsTaskChecks: what a Task state asks of the state machine role', () => {
  it('lambda:invoke (and .waitForTaskToken) is lambda:InvokeFunction on the function', () => {
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:AwaitShipmentFunction';
    for (const resource of ['arn:aws:states:::lambda:invoke', 'arn:aws:states:::lambda:invoke.waitForTaskToken']) {
      expect(stepFunctionsTaskChecks(resource, { FunctionName: fn, Payload: {} }, here)?.map(({ action, resource }) => `${action} ${resource}`)).toEqual([`lambda:InvokeFunction ${fn}`]);
    }
    expect(stepFunctionsTaskChecks(fn, {}, here)?.map(({ action }) => action)).toEqual(['lambda:InvokeFunction']);
  });

  it('dynamodb:getItem / updateItem are the DynamoDB actions on the table', () => {
    expect(stepFunctionsTaskChecks('arn:aws:states:::dynamodb:updateItem', { TableName: 'OrdersTable', Key: {} }, here)?.map(({ action, resource }) => `${action} ${resource}`)).toEqual([
      `dynamodb:UpdateItem ${TABLE}`,
    ]);
    expect(stepFunctionsTaskChecks('arn:aws:states:::dynamodb:getItem', { TableName: 'OrdersTable', Key: {} }, here)?.[0]?.action).toBe('dynamodb:GetItem');
  });

  it('an Invoke of an alias or version is checked on the qualified ARN, however the qualifier is given', () => {
    const live = 'arn:aws:lambda:us-east-1:000000000000:function:ListProductsFunction:live';
    expect(checks('Lambda', 'InvokeCommand', { FunctionName: 'ListProductsFunction:live' })).toEqual([`lambda:InvokeFunction ${live}`]);
    expect(checks('Lambda', 'InvokeCommand', { FunctionName: 'ListProductsFunction', Qualifier: 'live' })).toEqual([`lambda:InvokeFunction ${live}`]);
    expect(checks('Lambda', 'InvokeCommand', { FunctionName: live, Qualifier: 'live' })).toEqual([`lambda:InvokeFunction ${live}`]);
    expect(checks('Lambda', 'InvokeCommand', { FunctionName: 'ListProductsFunction' })).toEqual(['lambda:InvokeFunction arn:aws:lambda:us-east-1:000000000000:function:ListProductsFunction']);
  });

  it("a hook's report to CodeDeploy is checked on the deployment's group; a deployment the local cloud did not make is CodeDeploy's to refuse", () => {
    const report = (deploymentId: string) => checks('CodeDeploy', 'PutLifecycleEventHookExecutionStatusCommand', { deploymentId, lifecycleEventHookExecutionId: 'h', status: 'Succeeded' });
    expect(report('d-1.ServerlessDeploymentApplication.ListProductsFunctionDeploymentGroup')).toEqual([
      'codedeploy:PutLifecycleEventHookExecutionStatus arn:aws:codedeploy:us-east-1:000000000000:deploymentgroup:ServerlessDeploymentApplication/ListProductsFunctionDeploymentGroup',
    ]);
    expect(report('d-EXAMPLE111')).toEqual([]);
  });

  it('knows nothing of activities', () => {
    expect(stepFunctionsTaskChecks('arn:aws:states:us-east-1:000000000000:activity:a', {}, here)).toBeUndefined();
  });
});
