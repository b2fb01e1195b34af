import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../core/ports.ts';
import { LocalStepFunctions } from './local-step-functions.ts';
import { SfnServer } from './sfn-server.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

type ServiceError = Error & { $metadata: { httpStatusCode?: number } };

async function failureOf(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

const waitForToken = {
  StartAt: 'Ship',
  States: {
    Ship: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'RequestShipment', Payload: { 'orderId.$': '$.orderId', 'taskToken.$': '$$.Task.Token' } },
      End: true,
    },
  },
};
const passThrough = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };

describe('SfnServer with the AWS SDK v3 SFN client', () => {
  const tokens = new Map<string, string>();
  const service = new LocalStepFunctions({
    invokeLambda: async (_functionName, payload) => {
      const { orderId, taskToken } = payload as { orderId: string; taskToken: string };
      tokens.set(orderId, taskToken);
      return { payload: null };
    },
  });
  const shipping = service.createStateMachine({ name: 'Shipping', definition: JSON.stringify(waitForToken), roleArn: 'arn:aws:iam::000000000000:role/ShippingRole' });
  const passing = service.createStateMachine({ name: 'Passing', definition: JSON.stringify(passThrough) });
  const server = new SfnServer({ service });
  let client: SFNClient;

  beforeAll(async () => {
    client = new SFNClient({ endpoint: await server.start(), region: 'us-east-1', credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await server.stop();
    await service.stop();
  });

  async function startShipping(orderId: string) {
    const started = await client.send(new StartExecutionCommand({ stateMachineArn: shipping.stateMachineArn, name: orderId, input: JSON.stringify({ orderId }) }));
    await waitUntil(`the token for ${orderId}`, async () => tokens.has(orderId));
    return { executionArn: started.executionArn as string, token: tokens.get(orderId) as string, startDate: started.startDate };
  }

  it('describes and lists state machines', async () => {
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: shipping.stateMachineArn }));
    expect(described).toMatchObject({
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Shipping',
      name: 'Shipping',
      status: 'ACTIVE',
      type: 'STANDARD',
      roleArn: 'arn:aws:iam::000000000000:role/ShippingRole',
      definition: JSON.stringify(waitForToken),
    });
    expect(described.creationDate).toBeInstanceOf(Date);
    const { stateMachines } = await client.send(new ListStateMachinesCommand({}));
    expect(stateMachines?.map((machine) => machine.name)).toEqual(['Shipping', 'Passing']);
  });

  it('starts, describes and completes an execution through SendTaskSuccess', async () => {
    const { executionArn, token, startDate } = await startShipping('order-1');
    expect(startDate).toBeInstanceOf(Date);
    const running = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(running).toMatchObject({ status: 'RUNNING', name: 'order-1', stateMachineArn: shipping.stateMachineArn, input: '{"orderId":"order-1"}' });
    expect(running.startDate?.getTime()).toBe(startDate?.getTime());

    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"trackingId":"T1"}' }));
    await service.waitForExecution(executionArn);
    const done = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"trackingId":"T1"}' });
    expect(done.stopDate).toBeInstanceOf(Date);
  });

  it('fails an execution through SendTaskFailure and aborts one through StopExecution', async () => {
    const failing = await startShipping('order-2');
    await client.send(new SendTaskFailureCommand({ taskToken: failing.token, error: 'NoCourier', cause: 'none available' }));
    await service.waitForExecution(failing.executionArn);
    expect(await client.send(new DescribeExecutionCommand({ executionArn: failing.executionArn }))).toMatchObject({ status: 'FAILED', error: 'NoCourier', cause: 'none available' });

    const stopping = await startShipping('order-3');
    const { stopDate } = await client.send(new StopExecutionCommand({ executionArn: stopping.executionArn, cause: 'cancelled' }));
    expect(stopDate).toBeInstanceOf(Date);
    expect(await client.send(new DescribeExecutionCommand({ executionArn: stopping.executionArn }))).toMatchObject({ status: 'ABORTED', cause: 'cancelled' });
    expect((await failureOf(client.send(new SendTaskSuccessCommand({ taskToken: stopping.token, output: '{}' })))).name).toBe('TaskTimedOut');
  });

  it('pages ListExecutions and GetExecutionHistory', async () => {
    for (const name of ['a', 'b', 'c']) await client.send(new StartExecutionCommand({ stateMachineArn: passing.stateMachineArn, name }));
    const first = await client.send(new ListExecutionsCommand({ stateMachineArn: passing.stateMachineArn, maxResults: 2 }));
    expect(first.executions?.map((execution) => execution.name)).toEqual(['c', 'b']);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await client.send(new ListExecutionsCommand({ stateMachineArn: passing.stateMachineArn, maxResults: 2, nextToken: first.nextToken }));
    expect(second.executions?.map((execution) => execution.name)).toEqual(['a']);
    expect(second.nextToken).toBeUndefined();

    const executionArn = first.executions?.[0]?.executionArn as string;
    await service.waitForExecution(executionArn);
    const all = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(all.events?.map((event) => event.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(all.events?.[0]?.timestamp).toBeInstanceOf(Date);
    const newest = await client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 3 }));
    expect(newest.events?.map((event) => event.id)).toEqual([4, 3, 2]);
    const rest = await client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 3, nextToken: newest.nextToken }));
    expect(rest.events?.map((event) => event.id)).toEqual([1]);
  });

  it('answers errors with the names the SDK knows', async () => {
    const missingExecution = `${passing.stateMachineArn.replace(':stateMachine:', ':execution:')}:nope`;
    const cases: Array<[Promise<unknown>, string]> = [
      [client.send(new DescribeExecutionCommand({ executionArn: missingExecution })), 'ExecutionDoesNotExist'],
      [client.send(new StartExecutionCommand({ stateMachineArn: `${passing.stateMachineArn}X` })), 'StateMachineDoesNotExist'],
      [client.send(new DescribeStateMachineCommand({ stateMachineArn: 'Passing' })), 'InvalidArn'],
      [client.send(new StartExecutionCommand({ stateMachineArn: passing.stateMachineArn, name: 'no spaces please' })), 'InvalidName'],
      [client.send(new StartExecutionCommand({ stateMachineArn: passing.stateMachineArn, input: '{' })), 'InvalidExecutionInput'],
      [client.send(new StartExecutionCommand({ stateMachineArn: undefined })), 'ValidationException'],
      [client.send(new SendTaskSuccessCommand({ taskToken: 'nonsense', output: '{}' })), 'InvalidToken'],
      [client.send(new ListExecutionsCommand({ stateMachineArn: passing.stateMachineArn, nextToken: 'bad' })), 'InvalidToken'],
    ];
    for (const [call, name] of cases) {
      const error = await failureOf(call);
      expect(error.name, name).toBe(name);
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('refuses unknown operations and malformed bodies', async () => {
    const post = (target: string, body: string) =>
      fetch(server.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target }, body });
    const unknown = await post('AWSStepFunctions.CreateActivity', '{}');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: 'com.amazonaws.sfn#UnknownOperationException' });
    const malformed = await post('AWSStepFunctions.ListStateMachines', '{nope');
    expect(await malformed.json()).toMatchObject({ __type: 'com.amazonaws.sfn#SerializationException' });
  });
});
