import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionTables } from '../dynamodb/from-template.ts';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '../dynamodb/dynamodb-local.ts';
import { freePort, waitUntil } from '../core/ports.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { loadTemplate } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { describeExecutionsForOrder, formatExecutionReports } from './executions.ts';
import { type RunningLocalStepFunctions, startLocalStepFunctions } from './from-template.ts';
import type { InvokeLambda } from './integrations.ts';

/**
 * The fixture saga (fixtures/fulfilment.asl.json) end to end: the template read as the local
 * cloud reads it, real DynamoDB Local (started here, on a free port), fake functions, and the
 * AWS SDK's SFNClient against the local endpoint. Time runs 50 times faster (60 s is 1.2 s).
 */

const TIME_SCALE = 0.02;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const templatePath = fileURLToPath(new URL('./fixtures/template.yaml', import.meta.url));

/** The saga's functions: ReserveStock, RequestShipment (keeps the task token) and ReleaseStock. */
class FakeFunctions {
  readonly calls: Array<{ fn: string; payload: Record<string, unknown>; at: number }> = [];
  readonly tokens = new Map<string, string>();

  readonly invoke: InvokeLambda = async (functionName, payload) => {
    const fn = functionName.split(':').at(-1) ?? functionName;
    const event = payload as Record<string, string>;
    this.calls.push({ fn, payload: event, at: performance.now() });
    switch (fn) {
      case 'ReserveStockFunction': {
        if (event.sku === 'SOLD-OUT') return functionError('OutOfStock', `No stock left for ${event.sku}`);
        const attempts = this.callsTo(fn, String(event.orderId)).length;
        if (event.sku === 'FLAKY' && attempts <= 2) return functionError('StockServiceBusy', 'Try again later');
        return { payload: { reservationId: `res-${event.orderId}` } };
      }
      case 'RequestShipmentFunction':
        this.tokens.set(String(event.orderId), String(event.taskToken));
        return { payload: { accepted: true } };
      case 'ReleaseStockFunction':
        return { payload: { released: event.reservationId } };
      default:
        throw Object.assign(new Error(`Function not found: ${functionName}`), { name: 'ResourceNotFoundException' });
    }
  };

  callsTo(fn: string, orderId: string) {
    return this.calls.filter((call) => call.fn === fn && call.payload.orderId === orderId);
  }

  async tokenFor(orderId: string): Promise<string> {
    await waitUntil(`the shipment request for ${orderId}`, async () => this.tokens.has(orderId), { timeoutMs: 10_000, intervalMs: 10 });
    return this.tokens.get(orderId) as string;
  }
}

function functionError(errorType: string, errorMessage: string) {
  return { payload: { errorType, errorMessage, trace: [`${errorType}: ${errorMessage}`] }, functionError: 'Unhandled' };
}

type ServiceError = Error & { $metadata: { httpStatusCode?: number } };

async function failureOf(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

describe('the fulfilment saga on the local Step Functions (DynamoDB Local, SFNClient)', () => {
  const fakes = new FakeFunctions();
  let dynamo: RunningDynamoDbLocal;
  let dynamoClient: DynamoDBClient;
  let stepFunctions: RunningLocalStepFunctions;
  let sfn: SFNClient;
  let stateMachineArn: string;

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal(await freePort());
    dynamoClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
    const loaded = await loadTemplate(templatePath);
    const registry = new ResourceRegistry(loaded.template, DEFAULT_PSEUDO);
    const resolver = createIntrinsicResolver({ template: loaded.template, resources: registry });
    await provisionTables(loaded.template, resolver, registry, dynamoClient);
    stepFunctions = await startLocalStepFunctions({
      template: loaded,
      resolver,
      invokeLambda: fakes.invoke,
      dynamoDbEndpoint: dynamo.endpoint,
      timeScale: TIME_SCALE,
    });
    sfn = new SFNClient({ endpoint: stepFunctions.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    stateMachineArn = stepFunctions.stateMachines[0]?.arn as string;
  }, 120_000);

  afterAll(async () => {
    sfn?.destroy();
    await stepFunctions?.stop();
    dynamoClient?.destroy();
    await dynamo?.stop();
  });

  async function start(orderId: string, sku = 'SKU-1', name = orderId) {
    const input = JSON.stringify({ orderId, sku, quantity: 1 });
    return sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
  }

  async function finished(executionArn: string | undefined): Promise<DescribeExecutionCommandOutput> {
    let description: DescribeExecutionCommandOutput | undefined;
    await waitUntil(
      'the execution to close',
      async () => {
        description = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        return description.status !== 'RUNNING';
      },
      { timeoutMs: 15_000, intervalMs: 20 },
    );
    // The history is read from the interpreter's log a moment after the status changes.
    await stepFunctions.service.waitForExecution(executionArn as string);
    return description as DescribeExecutionCommandOutput;
  }

  async function history(executionArn: string | undefined): Promise<HistoryEvent[]> {
    return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
  }

  async function fulfilmentStatus(orderId: string): Promise<string | undefined> {
    const { Item } = await dynamoClient.send(
      new GetItemCommand({ TableName: 'OrdersTable', Key: { PK: { S: `ORDER#${orderId}` }, SK: { S: 'FULFILMENT' } }, ConsistentRead: true }),
    );
    return Item?.status?.S;
  }

  it('runs the happy path: DynamoDB writes, lambda:invoke, a task token resumed by SendTaskSuccess, a Parallel with a Wait', async () => {
    const { executionArn } = await start('o-happy');
    const token = await fakes.tokenFor('o-happy');
    expect(fakes.callsTo('RequestShipmentFunction', 'o-happy')[0]?.payload).toEqual({ orderId: 'o-happy', reservationId: 'res-o-happy', taskToken: token });
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ trackingId: 'TRK-1' }) }));

    const done = await finished(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output ?? 'null');
    // ResultSelector read `$.Payload` and `$.StatusCode`: the lambda:invoke result has the Invoke response's shape.
    expect(output.reservation).toEqual({ reservationId: 'res-o-happy', statusCode: 200 });
    expect(output.shipment).toEqual({ trackingId: 'TRK-1' });
    expect(output.record).toEqual({ status: 'SHIPPED', trackingId: 'TRK-1' });
    expect(output.settled).toEqual([{ execution: 'o-happy' }, { trackingId: 'TRK-1' }]);
    expect(await fulfilmentStatus('o-happy')).toBe('SHIPPED');

    const events = await history(executionArn);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    const shipment = events.slice(events.findIndex((event) => event.stateEnteredEventDetails?.name === 'RequestShipment'));
    expect(shipment.slice(0, 6).map((event) => event.type)).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited']);
    expect(shipment[1]?.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', timeoutInSeconds: 60 });
    expect(JSON.parse(shipment[1]?.taskScheduledEventDetails?.parameters ?? '{}').Payload.taskToken).toBe(token);
    expect(types).toEqual(expect.arrayContaining(['ParallelStateEntered', 'ParallelStateStarted', 'WaitStateEntered', 'WaitStateExited', 'ParallelStateSucceeded', 'ChoiceStateEntered', 'SucceedStateEntered']));
    expect(events.find((event) => event.taskScheduledEventDetails?.resource === 'putItem')?.taskScheduledEventDetails?.resourceType).toBe('dynamodb');

    // The token is spent: AWS answers TaskTimedOut for a closed task.
    const late = await failureOf(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));
    expect(late.name).toBe('TaskTimedOut');
  });

  it('catches the Lambda error type (OutOfStock) and runs the rejection branch', async () => {
    const { executionArn } = await start('o-sold-out', 'SOLD-OUT');
    const done = await finished(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'OrderRejected' });
    expect(JSON.parse(done.cause ?? '{}')).toMatchObject({ errorType: 'OutOfStock', errorMessage: 'No stock left for SOLD-OUT' });
    expect(await fulfilmentStatus('o-sold-out')).toBe('REJECTED');
    const failed = (await history(executionArn)).find((event) => event.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', error: 'OutOfStock' });
    expect(fakes.callsTo('ReserveStockFunction', 'o-sold-out')).toHaveLength(1);
  });

  it('retries with backoff on the scaled clock, then succeeds', async () => {
    const { executionArn } = await start('o-flaky', 'FLAKY');
    const token = await fakes.tokenFor('o-flaky');
    const [first, second, third] = fakes.callsTo('ReserveStockFunction', 'o-flaky').map((call) => call.at);
    // IntervalSeconds 5 and BackoffRate 2 at a time scale of 0.02: 100 ms, then 200 ms.
    const gaps = [(second as number) - (first as number), (third as number) - (second as number)];
    expect(gaps[0]).toBeGreaterThanOrEqual(95);
    expect(gaps[0]).toBeLessThan(1_000);
    expect(gaps[1]).toBeGreaterThanOrEqual(195);
    expect(gaps[1]).toBeLessThan(2_000);

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ trackingId: 'TRK-2' }) }));
    expect((await finished(executionArn)).status).toBe('SUCCEEDED');
    const events = await history(executionArn);
    const reserveScheduled = events.filter((event) => event.taskScheduledEventDetails?.parameters?.includes('function:ReserveStockFunction'));
    expect(reserveScheduled).toHaveLength(3);
    const reserve = events.filter((event) => event.type === 'TaskFailed');
    expect(reserve.filter((event) => event.taskFailedEventDetails?.error === 'StockServiceBusy')).toHaveLength(2);
  });

  it('catches SendTaskFailure and compensates', async () => {
    const { executionArn } = await start('o-refused');
    const token = await fakes.tokenFor('o-refused');
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'ShipmentRefused', cause: 'No courier for this address' }));
    const done = await finished(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ShipmentRefused', cause: 'No courier for this address' });
    expect(fakes.callsTo('ReleaseStockFunction', 'o-refused').map((call) => call.payload.reason)).toEqual(['ShipmentRefused']);
    expect(await fulfilmentStatus('o-refused')).toBe('CANCELLED');
    const failed = (await history(executionArn)).find((event) => event.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ resource: 'invoke.waitForTaskToken', error: 'ShipmentRefused', cause: 'No courier for this address' });
  });

  it('times the token task out (TimeoutSeconds 60 → 1.2 s) with States.Timeout, caught', async () => {
    const started = performance.now();
    const { executionArn } = await start('o-no-courier');
    const token = await fakes.tokenFor('o-no-courier');
    const done = await finished(executionArn);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_150);
    expect(elapsed).toBeLessThan(10_000);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(fakes.callsTo('ReleaseStockFunction', 'o-no-courier').map((call) => call.payload.reason)).toEqual(['States.Timeout']);
    const timedOut = (await history(executionArn)).find((event) => event.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails).toMatchObject({ resource: 'invoke.waitForTaskToken', error: 'States.Timeout' });
    expect((await failureOf(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).name).toBe('TaskTimedOut');
  });

  it('StopExecution aborts a waiting execution; its token then answers TaskTimedOut', async () => {
    const { executionArn } = await start('o-stopped');
    const token = await fakes.tokenFor('o-stopped');
    const { stopDate } = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'The customer cancelled' }));
    expect(stopDate).toBeInstanceOf(Date);
    const done = await finished(executionArn);
    expect(done).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'The customer cancelled' });

    expect((await failureOf(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).name).toBe('TaskTimedOut');
    expect((await failureOf(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })))).name).toBe('TaskTimedOut');
    const unknown = `AQB${'x'.repeat(86)}`;
    expect((await failureOf(sfn.send(new SendTaskSuccessCommand({ taskToken: unknown, output: '{}' })))).name).toBe('TaskDoesNotExist');
    expect((await failureOf(sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })))).name).toBe('InvalidToken');

    const types = (await history(executionArn)).map((event) => event.type);
    expect(types.slice(-2)).toEqual(['TaskStateAborted', 'ExecutionAborted']);
    // Nothing ran after the stop: no compensation.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fakes.callsTo('ReleaseStockFunction', 'o-stopped')).toHaveLength(0);
    expect(await fulfilmentStatus('o-stopped')).toBe('RECEIVED');
  });

  it('raises DynamoDB.ConditionalCheckFailedException for a second fulfilment of an order, caught', async () => {
    const { executionArn } = await start('o-happy', 'SKU-1', 'o-happy-again');
    const done = await finished(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'DuplicateFulfilment', cause: 'This order is already being fulfilled' });
    const failed = (await history(executionArn)).find((event) => event.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ resourceType: 'dynamodb', resource: 'putItem', error: 'DynamoDB.ConditionalCheckFailedException' });
    expect(failed?.taskFailedEventDetails?.cause).toMatch(/\(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: .+; Proxy: null\)$/);
    expect(await fulfilmentStatus('o-happy')).toBe('SHIPPED');
  });

  it('treats StartExecution with a taken name as AWS does for Standard workflows', async () => {
    const first = await start('o-twice');
    await fakes.tokenFor('o-twice');
    // Same name, same input, still running: the same execution, not a new one.
    const again = await start('o-twice');
    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    // Same name, different input: refused.
    const differentInput = await failureOf(start('o-twice', 'SKU-2'));
    expect(differentInput.name).toBe('ExecutionAlreadyExists');
    expect(differentInput.$metadata.httpStatusCode).toBe(400);

    await sfn.send(new SendTaskSuccessCommand({ taskToken: fakes.tokens.get('o-twice') as string, output: JSON.stringify({ trackingId: 'TRK-3' }) }));
    expect((await finished(first.executionArn)).status).toBe('SUCCEEDED');
    // Closed: refused whatever the input.
    expect((await failureOf(start('o-twice'))).name).toBe('ExecutionAlreadyExists');
    expect(fakes.callsTo('ReserveStockFunction', 'o-twice')).toHaveLength(1);

    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }));
    expect(executions?.map((execution) => execution.name)).toContain('o-twice');
  });

  it('prints an order\'s executions for the CLI', async () => {
    const reports = describeExecutionsForOrder(stepFunctions.service, 'o-refused');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ stateMachineName: 'FulfilmentStateMachine', status: 'FAILED', currentStates: [] });
    const text = formatExecutionReports('o-refused', reports);
    expect(text).toContain('FulfilmentStateMachine / o-refused: FAILED');
    expect(text).toMatch(/TaskFailed\s+RequestShipment  ShipmentRefused: No courier for this address/);
  });
});
