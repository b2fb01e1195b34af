import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startEventSourceMappings } from '../event-sources/mappings.ts';
import { EventSourceJournal } from '../event-sources/journal.ts';
import { queuePolicyRefusal } from '../sns/service.ts';
import { TopicRegistry } from '../sns/topic.ts';
import { LocalStepFunctions } from '../stepfunctions/local-step-functions.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { templateFromYaml } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { LocalIam } from './local-iam.ts';

// How the local cloud's services use the IAM engine, on copies of template.yaml: the state
// machine's Tasks under its role, SNS delivery under the queue policy, event source mappings
// under the function's role.

const TEMPLATE = readFileSync(new URL('../../../template.yaml', import.meta.url), 'utf8');
const ACCOUNT = DEFAULT_PSEUDO.accountId;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/OrdersTable`;
// The state machine calls its steps through their `live` alias (template.yaml, DefinitionSubstitutions).
const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}:live`;

function iamFor(text: string, enforce = true): LocalIam {
  const template = templateFromYaml(text);
  const resolver = createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) });
  return LocalIam.fromTemplate(template, resolver, { enforce });
}

/** The template with `text` removed, failing if it is not there exactly once. */
function without(text: string): string {
  expect(TEMPLATE.split(text)).toHaveLength(2);
  return TEMPLATE.replace(text, '');
}

describe("the state machine's Tasks run under its role", () => {
  const services: LocalStepFunctions[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
  });

  async function runAs(iam: LocalIam, states: Record<string, unknown>) {
    const invoked: string[] = [];
    const service = new LocalStepFunctions({
      invokeLambda: async (name, payload) => {
        invoked.push(name);
        return { payload };
      },
      dynamoDb: new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
      authorizeTask: (machine, resource, parameters) => iam.authorizeTask(machine.logicalId ?? '', resource, parameters as Record<string, unknown>),
    });
    services.push(service);
    const definition = JSON.stringify({ StartAt: Object.keys(states)[0], States: states });
    const { stateMachineArn } = service.createStateMachine({ logicalId: 'FulfilmentStateMachine', name: 'FulfilmentStateMachine', definition });
    const { executionArn } = service.startExecution({ stateMachineArn, input: '{}' });
    const description = await service.waitForExecution(executionArn);
    return { description, invoked, history: service.getExecutionHistory({ executionArn }) };
  }

  const invokeTask = (name: string) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: fn(name), 'Payload.$': '$' }, End: true });

  it('invokes a step the role names, and fails one it does not with Lambda.AWSLambdaException, never invoking it', async () => {
    const iam = iamFor(TEMPLATE);
    const allowed = await runAs(iam, { Refund: invokeTask('RefundPaymentFunction') });
    expect(allowed.description.status).toBe('SUCCEEDED');
    expect(allowed.invoked).toEqual([fn('RefundPaymentFunction')]);

    const { description, invoked, history } = await runAs(iam, { Place: invokeTask('PlaceOrderFunction') });
    expect(invoked).toEqual([]);
    expect(description).toMatchObject({ status: 'FAILED', error: 'Lambda.AWSLambdaException' });
    expect(description.cause).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/FulfilmentStateMachineRole/FulfilmentStateMachine is not authorized to perform: lambda:InvokeFunction on resource: ${fn('PlaceOrderFunction')} ` +
        'because no identity-based policy allows the lambda:InvokeFunction action (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException)',
    );
    expect(history.map((event) => event.type)).toContain('TaskFailed');
  });

  it('fails a DynamoDB Task its role lacks with DynamoDB.AmazonDynamoDBException before it reaches DynamoDB', async () => {
    // The copy of the template lets the state machine update the order, but not read it.
    const text = TEMPLATE.replace('                - dynamodb:UpdateItem\n                - dynamodb:GetItem\n', '                - dynamodb:UpdateItem\n');
    expect(text).not.toBe(TEMPLATE);
    const iam = iamFor(text);
    const getItem = { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'OrdersTable', Key: { PK: { S: 'ORDER#1' }, SK: { S: 'ORDER#1' } } }, End: true };
    const { description } = await runAs(iam, { Check: getItem });
    expect(description).toMatchObject({ status: 'FAILED', error: 'DynamoDB.AmazonDynamoDBException' });
    expect(description.cause).toContain(`is not authorized to perform: dynamodb:GetItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:GetItem action`);
    expect(description.cause).toContain('(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: AccessDeniedException;');
  });
});

describe('SNS delivers to a queue only if the queue policy lets it', () => {
  const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:OrderEventsTopic`;
  const queueArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:FulfilmentQueue`;

  function topicsWith(iam: LocalIam, warnings: string[] = []) {
    const sent: string[] = [];
    const failures: Array<string | undefined> = [];
    const topics = new TopicRegistry({
      accountId: ACCOUNT,
      resolveQueue: () => ({ send: (message) => (sent.push(message.body), { messageId: 'm' }) }),
      matcher: () => true,
      deliveryRefusal: (topic, queue) => queuePolicyRefusal(iam, topic, queue, (message) => warnings.push(message)),
      onDeliveryFailure: (delivery) => failures.push(delivery.reason),
    });
    topics.create('OrderEventsTopic');
    topics.subscribe({ topicArn, queueArn, rawMessageDelivery: true });
    return { topics, sent, failures };
  }

  // The template's queue policy with the FulfilmentQueue taken out of its `Queues`.
  const withoutPolicy = () => without('        - !Ref FulfilmentQueue\n');

  it("delivers under the template's queue policy", () => {
    const { topics, sent, failures } = topicsWith(iamFor(TEMPLATE));
    expect(topics.publish(topicArn, { message: '{"a":1}' }).deliveries[0]?.status).toBe('delivered');
    expect(sent).toEqual(['{"a":1}']);
    expect(failures).toEqual([]);
  });

  it('fails the delivery, naming the queue policy, when no policy lets SNS send', () => {
    const { topics, sent, failures } = topicsWith(iamFor(withoutPolicy()));
    expect(topics.publish(topicArn, { message: '{"a":1}' }).deliveries[0]?.status).toBe('failed');
    expect(sent).toEqual([]);
    expect(failures).toEqual([
      `IAM: the queue policy of ${queueArn} does not allow sns.amazonaws.com sqs:SendMessage from this topic (aws:SourceArn), so SNS cannot deliver messages of ${topicArn}`,
    ]);
  });

  it('with LOCAL_IAM=off delivers anyway and says AWS would not', () => {
    const warnings: string[] = [];
    const { topics, sent } = topicsWith(iamFor(withoutPolicy(), false), warnings);
    expect(topics.publish(topicArn, { message: 'x' }).deliveries[0]?.status).toBe('delivered');
    expect(sent).toEqual(['x']);
    expect(warnings).toEqual([expect.stringContaining('(LOCAL_IAM=off: delivered anyway)')]);
  });
});

describe('event source mappings act with the function role', () => {
  it("refuses to create a queue mapping the function's role cannot read, as Lambda does", async () => {
    // StartFulfilmentFunction's Deny narrowed to another queue: its own is now denied.
    const iam = iamFor(TEMPLATE.replace('              NotResource: !GetAtt FulfilmentQueue.Arn', '              NotResource: !GetAtt CustomerNotificationQueue.Arn'));
    const queue = { arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:FulfilmentQueue` };
    const start = startEventSourceMappings({
      definitions: [
        {
          kind: 'sqs',
          enabled: true,
          functionLogicalId: 'StartFulfilmentFunction',
          eventName: 'FulfilmentQueue',
          queueLogicalId: 'FulfilmentQueue',
          batchSize: 10,
          maximumBatchingWindowInSeconds: 0,
          functionResponseTypes: [],
        },
      ] as never,
      lambda: { invoke: async () => ({ kind: 'success', requestId: 'r', payload: null, durationMs: 0 }) },
      messaging: { queues: [{ logicalId: 'FulfilmentQueue', queue }] } as never,
      dynamoDbEndpoint: 'http://127.0.0.1:1',
      region: 'us-east-1',
      functionArn: fn,
      timeScale: 1,
      journal: new EventSourceJournal(),
      authorize: (principal, checks) => iam.authorizeOnBehalfOf(principal, checks),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    await expect(start).rejects.toThrow(
      `StartFulfilmentFunction event FulfilmentQueue: Lambda cannot create the event source mapping with the function's execution role: User: arn:aws:sts::${ACCOUNT}:assumed-role/StartFulfilmentFunctionRole/StartFulfilmentFunction is not authorized to perform: sqs:ReceiveMessage on resource: ${queue.arn} with an explicit deny in an identity-based policy`,
    );
  });
});
