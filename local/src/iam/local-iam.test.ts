import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { templateFromYaml } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { formatDeniedCall, iamEnforced, LocalIam, type LocalIamOptions } from './local-iam.ts';
import type { SdkCall } from './sdk-requests.ts';
import { UsageRecorder } from './usage.ts';

// The project's own template.yaml, evaluated as the local cloud will: every call its handlers
// make is allowed, and the calls AWS would refuse are refused with AWS's error.

const TEMPLATE_TEXT = readFileSync(new URL('../../../template.yaml', import.meta.url), 'utf8');
const ACCOUNT = DEFAULT_PSEUDO.accountId;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/OrdersTable`;
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:OrderEventsTopic`;
const MACHINE = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:FulfilmentStateMachine`;
const queueUrl = (name: string) => `http://127.0.0.1:8710/${ACCOUNT}/${name}`;
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

function iamFor(text: string, options: LocalIamOptions = {}): LocalIam {
  const template = templateFromYaml(text);
  const registry = new ResourceRegistry(template, DEFAULT_PSEUDO);
  const resolver = createIntrinsicResolver({ template, resources: registry });
  return LocalIam.fromTemplate(template, resolver, { enforce: true, ...options });
}

const dynamo = (command: string, input: Record<string, unknown>): SdkCall => ({ service: 'DynamoDB', command: `${command}Command`, input: { TableName: 'OrdersTable', ...input } });
const transaction = (...kinds: string[]): SdkCall => ({
  service: 'DynamoDB',
  command: 'TransactWriteItemsCommand',
  input: { TransactItems: kinds.map((kind) => ({ [kind]: { TableName: 'OrdersTable', Key: {} } })) },
});
const batchGet: SdkCall = { service: 'DynamoDB', command: 'BatchGetItemCommand', input: { RequestItems: { OrdersTable: { Keys: [] } } } };

/** What each handler calls (layers/shared/src repositories and saga signals). */
const CALLS: Record<string, SdkCall[]> = {
  ListProductsFunction: [dynamo('Query', { IndexName: 'GSI1' }), batchGet],
  GetProductFunction: [batchGet],
  CreateProductFunction: [dynamo('PutItem', {})],
  UpdateProductFunction: [dynamo('UpdateItem', {}), batchGet],
  SetProductStockFunction: [transaction('Update', 'Update'), batchGet],
  PlaceOrderFunction: [batchGet, transaction('Put', 'Put'), dynamo('Query', {})],
  ListMyOrdersFunction: [dynamo('Query', { IndexName: 'GSI1' })],
  GetOrderFunction: [dynamo('Query', {})],
  CancelOrderFunction: [dynamo('Query', {}), dynamo('UpdateItem', {}), { service: 'SFN', command: 'SendTaskFailureCommand', input: { taskToken: 't' } }],
  ListOrderNotificationsFunction: [dynamo('Query', {})],
  ListOrdersByStatusFunction: [dynamo('Query', { IndexName: 'GSI2' })],
  ShipOrderFunction: [dynamo('Query', {}), dynamo('GetItem', {}), transaction('Update', 'Update'), { service: 'SFN', command: 'SendTaskSuccessCommand', input: { taskToken: 't' } }],
  PublishOrderEventsFunction: [dynamo('Query', {}), { service: 'SNS', command: 'PublishCommand', input: { TopicArn: TOPIC, Message: '{}' } }],
  StartFulfilmentFunction: [{ service: 'SFN', command: 'StartExecutionCommand', input: { stateMachineArn: MACHINE, name: 'o' } }],
  NotifyCustomerFunction: [dynamo('PutItem', {})],
  ReserveStockFunction: [transaction('Update', 'Put'), batchGet],
  TakePaymentFunction: [dynamo('Query', {}), dynamo('GetItem', {}), dynamo('PutItem', {}), dynamo('UpdateItem', {})],
  RefundPaymentFunction: [dynamo('GetItem', {}), dynamo('UpdateItem', {})],
  ReleaseStockFunction: [dynamo('GetItem', {}), transaction('Update', 'Update')],
  AwaitShipmentFunction: [dynamo('UpdateItem', {})],
};

describe('LocalIam on template.yaml', () => {
  const iam = iamFor(TEMPLATE_TEXT);

  it.each(Object.entries(CALLS))('allows every call %s makes', (principal, calls) => {
    for (const call of calls) expect(iam.authorizeSdkCall(principal, call), `${principal} ${call.command}`).toBeUndefined();
  });

  it("lets the state machine invoke its steps (through their live alias) and update the order, with its own role", () => {
    // The saga is two machines: the parent confirms the order through its Express child, then waits for the shipment.
    const steps = { FulfilmentStateMachine: ['RefundPayment', 'ReleaseStock', 'AwaitShipment'], ConfirmOrderStateMachine: ['ReserveStock', 'TakePayment', 'RefundPayment', 'ReleaseStock'] };
    for (const [machine, machineSteps] of Object.entries(steps)) {
      for (const step of machineSteps) {
        expect(iam.authorizeSdkCall(machine, { service: 'Lambda', command: 'InvokeCommand', input: { FunctionName: `${step}Function:live` } })).toBeUndefined();
        expect(iam.authorizeSdkCall(machine, { service: 'Lambda', command: 'InvokeCommand', input: { FunctionName: `${step}Function`, Qualifier: 'live' } })).toBeUndefined();
        // The grant names the alias: neither $LATEST (unqualified) nor another version is allowed.
        expect(iam.authorizeSdkCall(machine, { service: 'Lambda', command: 'InvokeCommand', input: { FunctionName: `${step}Function` } })).toMatchObject({ code: 'AccessDeniedException' });
        expect(iam.authorizeSdkCall(machine, { service: 'Lambda', command: 'InvokeCommand', input: { FunctionName: `${step}Function:7` } })).toMatchObject({ code: 'AccessDeniedException' });
      }
    }
    expect(iam.authorizeSdkCall('FulfilmentStateMachine', { service: 'Lambda', command: 'InvokeCommand', input: { FunctionName: 'TakePaymentFunction' } })?.status).toBe(403);
    const child = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:ConfirmOrderStateMachine`;
    expect(iam.authorizeTask('FulfilmentStateMachine', 'arn:aws:states:::states:startExecution.sync:2', { StateMachineArn: child })).toBeUndefined();
    expect(iam.authorizeTask('FulfilmentStateMachine', 'arn:aws:states:::states:describeExecution', { executionArn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:ConfirmOrderStateMachine:x` })).toBeUndefined();
    expect(iam.authorizeTask('ConfirmOrderStateMachine', 'arn:aws:states:::states:startExecution.sync:2', { StateMachineArn: child })?.message).toContain(
      `is not authorized to perform: states:StartExecution on resource: ${child}`,
    );
    expect(iam.authorizeSdkCall('FulfilmentStateMachine', dynamo('UpdateItem', {}))).toBeUndefined();
    expect(iam.authorizeTask('FulfilmentStateMachine', 'arn:aws:states:::dynamodb:getItem', { TableName: 'OrdersTable', Key: {} })).toBeUndefined();
    expect(
      iam.authorizeTask('FulfilmentStateMachine', 'arn:aws:states:::lambda:invoke.waitForTaskToken', {
        FunctionName: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:AwaitShipmentFunction:live`,
      }),
    ).toBeUndefined();
    expect(iam.authorizeTask('FulfilmentStateMachine', 'arn:aws:states:::dynamodb:deleteItem', { TableName: 'OrdersTable', Key: {} })?.message).toContain(
      'dynamodb:DeleteItem on resource',
    );
    expect(iam.authorizeSdkCall('FulfilmentStateMachine', dynamo('PutItem', {}))?.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/FulfilmentStateMachineRole/FulfilmentStateMachine is not authorized to perform: dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
    );
    expect(iam.authorizeSdkCall('FulfilmentStateMachine', { service: 'Lambda', command: 'InvokeCommand', input: { FunctionName: 'PlaceOrderFunction' } })).toMatchObject({
      status: 403,
      code: 'AccessDeniedException',
    });
  });

  it('refuses what AWS would, with its error: a write by a read-only function', () => {
    expect(iam.authorizeSdkCall('GetProductFunction', dynamo('PutItem', {}))).toEqual({
      status: 400,
      code: 'AccessDeniedException',
      type: 'com.amazon.coral.service#AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/GetProductFunctionRole/GetProductFunction is not authorized to perform: dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
    });
  });

  it('refuses a query of an index the function was not granted', () => {
    expect(iam.authorizeSdkCall('ListProductsFunction', dynamo('Query', { IndexName: 'GSI2' }))?.message).toContain(`dynamodb:Query on resource: ${TABLE}/index/GSI2 because`);
    expect(iam.authorizeSdkCall('ListProductsFunction', dynamo('Query', {}))?.message).toContain(`dynamodb:Query on resource: ${TABLE} because`);
  });

  it("applies the template's Deny statements: SAM's queue policy narrowed to the function's own queue", () => {
    const receive = (queue: string): SdkCall => ({ service: 'SQS', command: 'ReceiveMessageCommand', input: { QueueUrl: queueUrl(queue) } });
    expect(iam.authorizeSdkCall('StartFulfilmentFunction', receive('FulfilmentQueue'))).toBeUndefined();
    expect(iam.authorizeSdkCall('StartFulfilmentFunction', receive('CustomerNotificationQueue'))).toEqual({
      status: 403,
      code: 'AccessDeniedException',
      type: 'com.amazon.coral.service#AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/StartFulfilmentFunctionRole/StartFulfilmentFunction is not authorized to perform: sqs:ReceiveMessage on resource: ${queueArn('CustomerNotificationQueue')} with an explicit deny in an identity-based policy`,
    });
  });

  it("grants the publisher's on-failure destination as SAM does, and SNS errors in SNS's shape", () => {
    const send = (queue: string): SdkCall => ({ service: 'SQS', command: 'SendMessageCommand', input: { QueueUrl: queueUrl(queue) } });
    expect(iam.authorizeSdkCall('PublishOrderEventsFunction', send('OrderEventsPublisherDLQ'))).toBeUndefined();
    expect(iam.authorizeSdkCall('PublishOrderEventsFunction', send('FulfilmentDLQ'))).toBeDefined();
    const alarmTopic = `arn:aws:sns:us-east-1:${ACCOUNT}:AlarmTopic`;
    expect(iam.authorizeSdkCall('PublishOrderEventsFunction', { service: 'SNS', command: 'PublishCommand', input: { TopicArn: alarmTopic } })).toMatchObject({
      status: 403,
      code: 'AuthorizationError',
      message: expect.stringContaining(`SNS:Publish on resource: ${alarmTopic} because no identity-based policy allows the SNS:Publish action`),
    });
  });

  it('records what was allowed, per role', () => {
    const fresh = iamFor(TEMPLATE_TEXT);
    fresh.authorizeSdkCall('GetProductFunction', batchGet);
    fresh.authorizeSdkCall('GetProductFunction', dynamo('PutItem', {}));
    expect(fresh.usage.usesOf('GetProductFunctionRole')).toEqual([{ action: 'dynamodb:BatchGetItem', resource: TABLE }]);
  });
});

describe('a template with one permission removed', () => {
  // PlaceOrderFunction reads the ordered products with one BatchGetItem (product-repository.ts).
  const withoutBatchGet = TEMPLATE_TEXT.replace(/(\n\s+)- dynamodb:BatchGetItem(?=\n)/, '');

  it('is a real edit of PlaceOrderFunction, and nothing else changes', () => {
    expect(withoutBatchGet).not.toBe(TEMPLATE_TEXT);
    expect(withoutBatchGet.length).toBe(TEMPLATE_TEXT.length - '\n                - dynamodb:BatchGetItem'.length);
  });

  it('fails exactly the call that needed it, with the message AWS gives, and the console names it', () => {
    const onDenied = vi.fn();
    const iam = iamFor(withoutBatchGet, { onDenied });
    expect(iam.authorizeSdkCall('PlaceOrderFunction', batchGet)).toEqual({
      status: 400,
      code: 'AccessDeniedException',
      type: 'com.amazon.coral.service#AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/PlaceOrderFunctionRole/PlaceOrderFunction is not authorized to perform: dynamodb:BatchGetItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:BatchGetItem action`,
    });
    expect(onDenied).toHaveBeenCalledWith(expect.objectContaining({ principal: 'PlaceOrderFunction', action: 'dynamodb:BatchGetItem', resource: TABLE, enforced: true }));
    for (const call of CALLS.PlaceOrderFunction!.filter((call) => call !== batchGet)) expect(iam.authorizeSdkCall('PlaceOrderFunction', call)).toBeUndefined();
  });

  it('lets the call through with LOCAL_IAM=off, still naming it on the console', () => {
    const onDenied = vi.fn();
    const iam = iamFor(withoutBatchGet, { onDenied, enforce: iamEnforced({ LOCAL_IAM: 'off' }) });
    expect(iam.authorizeSdkCall('PlaceOrderFunction', batchGet)).toBeUndefined();
    expect(onDenied).toHaveBeenCalledWith(expect.objectContaining({ action: 'dynamodb:BatchGetItem', enforced: false }));
    expect(formatDeniedCall(onDenied.mock.calls[0]![0])).toBe(
      `IAM: PlaceOrderFunction dynamodb:BatchGetItem on ${TABLE} would be denied in AWS (LOCAL_IAM=off lets it through). User: arn:aws:sts::${ACCOUNT}:assumed-role/PlaceOrderFunctionRole/PlaceOrderFunction is not authorized to perform: dynamodb:BatchGetItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:BatchGetItem action`,
    );
  });
});

describe('ARNs from DynamoDB Local', () => {
  it('compare equal to the ones a call names: DynamoDB Local says region ddblocal', () => {
    const template = templateFromYaml(TEMPLATE_TEXT);
    const registry = new ResourceRegistry(template, DEFAULT_PSEUDO);
    const local = `arn:aws:dynamodb:ddblocal:${ACCOUNT}:table/OrdersTable`;
    registry.register('OrdersTable', { ref: 'OrdersTable', attributes: { Arn: local, StreamArn: `${local}/stream/2026-11-29T00:00:00.000` } });
    const iam = LocalIam.fromTemplate(template, createIntrinsicResolver({ template, resources: registry }), { enforce: true });
    expect(iam.authorizeSdkCall('GetProductFunction', batchGet)).toBeUndefined();
    expect(iam.authorize({ principal: 'PublishOrderEventsFunction', action: 'dynamodb:GetRecords', resource: `${local}/stream/2026-11-29T00:00:00.000` }).allowed).toBe(true);
    expect(iam.authorize({ principal: 'PublishOrderEventsFunction', action: 'dynamodb:GetRecords', resource: `${local}/stream/other` }).allowed).toBe(false);
  });
});

describe('roles the local cloud cannot evaluate', () => {
  it("do not matter when nothing runs with them (API Gateway's logging role, created by default)", () => {
    const iam = iamFor(TEMPLATE_TEXT);
    expect(iam.roles.roles.map((role) => role.logicalId)).toContain('ApiGatewayCloudWatchRole');
    expect(iam.authorizeSdkCall('GetProductFunction', batchGet)).toBeUndefined();
  });

  it('stop start-up when a function runs with a managed policy the local cloud has no copy of', () => {
    const withUnknown = TEMPLATE_TEXT.replace(/(GetProductFunction:\n(?:.*\n)*?      Policies:\n)/, '$1        - AmazonS3ReadOnlyAccess\n');
    expect(() => iamFor(withUnknown)).toThrow('GetProductFunctionRole: the local cloud has no copy of the managed policies arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
  });
});

describe('iamEnforced', () => {
  it('is on unless LOCAL_IAM turns it off', () => {
    expect(iamEnforced({})).toBe(true);
    expect(iamEnforced({ LOCAL_IAM: 'on' })).toBe(true);
    for (const off of ['off', 'OFF', 'false', '0']) expect(iamEnforced({ LOCAL_IAM: off })).toBe(false);
  });
});

describe('resource policies that decide delivery', () => {
  const iam = iamFor(TEMPLATE_TEXT);

  it('SNS delivers OrderEventsTopic to the queues the queue policy lists, for that topic only', () => {
    for (const queue of ['FulfilmentQueue', 'CustomerNotificationQueue', 'OrderEventsDeliveryDLQ']) {
      expect(iam.snsMayDeliverToQueue(TOPIC, queueArn(queue)).allowed, queue).toBe(true);
    }
    expect(iam.snsMayDeliverToQueue(`arn:aws:sns:us-east-1:${ACCOUNT}:AlarmTopic`, queueArn('FulfilmentQueue'))).toEqual({ allowed: false, explicit: false, missing: 'resource' });
    expect(iam.snsMayDeliverToQueue(TOPIC, queueArn('OrderEventsPublisherDLQ')).allowed).toBe(false);
  });

  it('the alarms of this account may publish to the encrypted alarm topic: topic policy and key policy', () => {
    const alarm = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:FulfilmentDLQAlarm`;
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:AlarmTopic`;
    expect(iam.alarmMayPublish(alarm, topic).decision.allowed).toBe(true);
    expect(iam.alarmMayPublish('arn:aws:cloudwatch:us-east-1:111111111111:alarm:Elsewhere', topic)).toMatchObject({ decision: { allowed: false }, action: 'sns:Publish' });
  });

  it('without the key policy statement for CloudWatch, the alarm cannot use the key', () => {
    const withoutCloudWatch = TEMPLATE_TEXT.replace(/\n\s+- Sid: CloudWatchAlarmsPublish\n(?:.*\n){7}/, '\n');
    expect(withoutCloudWatch).not.toContain('CloudWatchAlarmsPublish');
    const alarm = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:FulfilmentDLQAlarm`;
    expect(iamFor(withoutCloudWatch).alarmMayPublish(alarm, `arn:aws:sns:us-east-1:${ACCOUNT}:AlarmTopic`)).toMatchObject({
      decision: { allowed: false, explicit: false },
      action: 'kms:GenerateDataKey',
      resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/AlarmTopicKey`,
    });
  });
});

describe('publishing to a topic encrypted with a key of the template', () => {
  // A function granted sns:Publish on AlarmTopic (whose key, AlarmTopicKey, hands itself to the
  // account's IAM) still needs kms:GenerateDataKey* and kms:Decrypt on the key, as in AWS.
  const alarmTopic = `arn:aws:sns:us-east-1:${ACCOUNT}:AlarmTopic`;
  const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/AlarmTopicKey`;
  const grant = (statements: string) =>
    TEMPLATE_TEXT.replace(
      /(GetProductFunction:\n(?:.*\n)*?      Policies:\n        - Statement:\n)/,
      `$1${statements}`,
    );
  const publish: SdkCall = { service: 'SNS', command: 'PublishCommand', input: { TopicArn: alarmTopic, Message: 'x' } };
  const snsOnly = `            - Effect: Allow\n              Action: sns:Publish\n              Resource: !Ref AlarmTopic\n`;
  const withKey = `${snsOnly}            - Effect: Allow\n              Action: [kms:GenerateDataKey*, kms:Decrypt]\n              Resource: !GetAtt AlarmTopicKey.Arn\n`;

  it('needs the key permissions besides sns:Publish', () => {
    expect(grant(snsOnly)).not.toBe(TEMPLATE_TEXT);
    expect(iamFor(grant(snsOnly)).authorizeSdkCall('GetProductFunction', publish)).toMatchObject({
      status: 400,
      message: expect.stringContaining(`kms:GenerateDataKey on resource: ${key} because no identity-based policy allows the kms:GenerateDataKey action`),
    });
  });

  it('is allowed with them, because the key policy delegates to IAM', () => {
    const template = grant(withKey);
    expect(iamFor(template).authorizeSdkCall('GetProductFunction', publish)).toBeUndefined();
    const withoutDelegation = template.replace(/\n\s+- Sid: AccountAdministersThroughIam\n(?:.*\n){5}/, '\n');
    expect(withoutDelegation).not.toContain('AccountAdministersThroughIam');
    expect(iamFor(withoutDelegation).authorizeSdkCall('GetProductFunction', publish)?.message).toContain('kms:GenerateDataKey');
  });
});

describe('LocalIam snapshots (for Lambda worker threads)', () => {
  it('decide the same after a structured clone, and forward each new use once', () => {
    const original = iamFor(TEMPLATE_TEXT);
    const forwarded: string[] = [];
    const copy = LocalIam.fromSnapshot(structuredClone(original.snapshot()), { usage: new UsageRecorder((role, use) => forwarded.push(`${role} ${use.action}`)) });
    expect(copy.authorizeSdkCall('GetProductFunction', batchGet)).toBeUndefined();
    expect(copy.authorizeSdkCall('GetProductFunction', batchGet)).toBeUndefined();
    expect(copy.authorizeSdkCall('GetProductFunction', dynamo('PutItem', {}))).toEqual(original.authorizeSdkCall('GetProductFunction', dynamo('PutItem', {})));
    expect(copy.snsMayDeliverToQueue(TOPIC, queueArn('FulfilmentQueue')).allowed).toBe(true);
    expect(forwarded).toEqual(['GetProductFunctionRole dynamodb:BatchGetItem']);
  });
});
