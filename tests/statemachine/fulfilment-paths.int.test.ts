import { randomUUID } from 'node:crypto';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bareFunctionName } from '#local/stepfunctions/lambda-invoker.ts';
import { registerStateMachines, type RunningLocalStepFunctions, startLocalStepFunctions } from '#local/stepfunctions/from-template.ts';
import type { InvokeLambda } from '#local/stepfunctions/integrations.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '#local/template/intrinsics.ts';
import { loadTemplate } from '#local/template/load-template.ts';
import { ResourceRegistry } from '#local/template/resource-registry.ts';
import { documentClient, tableName } from '../support/dynamodb.ts';
import { waitFor } from '../support/wait.ts';

// The paths of statemachine/fulfilment.asl.json that are hard to reach over HTTP (a shipment
// that never comes, a cancel while stock is being reserved, unexpected errors, compensation
// that keeps failing), run on the real definition from template.yaml with stand-in functions.
// DynamoDB is real (the direct integrations update the order item). Time runs 100,000 times
// faster: the 7-day shipment timeout takes about 6 seconds.

const TIME_SCALE = 1e-5;
let running: RunningLocalStepFunctions;
let sfn: SFNClient;
let stateMachineArn: string;

type Behaviour = (payload: Record<string, string>) => Promise<unknown> | unknown;
const behaviours = new Map<string, Record<string, Behaviour>>();
const calls: Array<{ fn: string; orderId: string }> = [];

const fail = (errorType: string, errorMessage = errorType) => {
  throw Object.assign(new Error(errorMessage), { errorType });
};

/** What each step returns when a test does not say otherwise (the real steps' result shapes). */
const DEFAULT_BEHAVIOURS: Record<string, Behaviour> = {
  ReserveStockFunction: () => ({ reserved: true }),
  TakePaymentFunction: (payload) => ({ chargeId: `ch_${payload.orderId}` }),
  AwaitShipmentFunction: () => ({ waiting: true }),
  RefundPaymentFunction: () => ({ refunded: true }),
  ReleaseStockFunction: () => ({ released: true }),
};

const invoke: InvokeLambda = async (functionName, payload) => {
  const fn = bareFunctionName(functionName);
  const event = payload as Record<string, string>;
  calls.push({ fn, orderId: event.orderId ?? '' });
  const behaviour = behaviours.get(event.orderId ?? '')?.[fn] ?? DEFAULT_BEHAVIOURS[fn] ?? (() => ({}));
  try {
    return { payload: await behaviour(event) };
  } catch (error) {
    const errorType = (error as { errorType?: string }).errorType ?? 'Error';
    return { payload: { errorType, errorMessage: (error as Error).message, trace: [] }, functionError: 'Unhandled' };
  }
};

beforeAll(async () => {
  const loaded = await loadTemplate(fileURLToPath(new URL('../../template.yaml', import.meta.url)));
  const registry = new ResourceRegistry(loaded.template, DEFAULT_PSEUDO);
  const resolver = createIntrinsicResolver({ template: loaded.template, resources: registry, pseudo: DEFAULT_PSEUDO });
  registerStateMachines(loaded.template, resolver, registry);
  running = await startLocalStepFunctions({ template: loaded, resolver, invokeLambda: invoke, dynamoDbEndpoint: inject('dynamoEndpoint'), timeScale: TIME_SCALE });
  stateMachineArn = running.stateMachines.find((machine) => machine.logicalId === 'FulfilmentStateMachine')!.arn;
  sfn = new SFNClient({ endpoint: running.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  sfn?.destroy();
  await running?.stop();
});

const orderKey = (orderId: string) => ({ PK: `ORDER#${orderId}`, SK: 'ORDER' });
const readOrder = async (orderId: string) =>
  (await documentClient().send(new GetCommand({ TableName: tableName(), Key: orderKey(orderId), ConsistentRead: true }))).Item;
const setStatus = (orderId: string, status: string) =>
  documentClient().send(
    new UpdateCommand({ TableName: tableName(), Key: orderKey(orderId), UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': status } }),
  );

/**
 * The saga needs an order header item to update. It is not typed `Order`, so the stream
 * publisher (which only sees items of type Order) does not try to publish this partial order.
 */
async function runSaga(orderBehaviours: Record<string, Behaviour>): Promise<{ orderId: string; executionArn: string }> {
  const orderId = randomUUID();
  behaviours.set(orderId, orderBehaviours);
  await documentClient().send(
    new PutCommand({ TableName: tableName(), Item: { ...orderKey(orderId), type: 'SagaPathsFixture', orderId, customerId: 'saga-paths', status: 'PENDING' } }),
  );
  const input = { orderId, customerId: 'saga-paths', total: 100, currency: 'USD', correlationId: 'paths', lines: [{ productId: randomUUID(), quantity: 1 }] };
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: orderId, input: JSON.stringify(input) }));
  return { orderId, executionArn: executionArn! };
}

async function ended(executionArn: string) {
  return waitFor(
    async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return execution.status === 'RUNNING' ? undefined : execution;
    },
    { timeoutMs: 20_000, description: 'the execution to end' },
  );
}

const calledFor = (orderId: string) => calls.filter((call) => call.orderId === orderId).map((call) => call.fn.replace(/Function$/, ''));

describe('fulfilment saga paths (real definition, stand-in functions)', () => {
  it('cancels, refunds and releases an order that is never shipped', async () => {
    const { orderId, executionArn } = await runSaga({});
    const execution = await ended(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(await readOrder(orderId)).toMatchObject({ status: 'CANCELLED', statusReason: 'Not shipped in time' });
    expect(calledFor(orderId)).toEqual(['ReserveStock', 'TakePayment', 'AwaitShipment', 'RefundPayment', 'ReleaseStock']);
  });

  it('does not compensate when the order shipped just as the wait timed out', async () => {
    const { orderId, executionArn } = await runSaga({
      AwaitShipmentFunction: async (payload) => {
        await setStatus(payload.orderId!, 'SHIPPED'); // shipped, but the saga is never told (its token lost)
        return { waiting: true };
      },
    });
    expect((await ended(executionArn)).status).toBe('SUCCEEDED');
    expect((await readOrder(orderId))?.status).toBe('SHIPPED');
    expect(calledFor(orderId)).not.toContain('RefundPayment');
  });

  it('charges nothing and releases the stock when the customer cancels while it is being reserved', async () => {
    const { orderId, executionArn } = await runSaga({
      ReserveStockFunction: async (payload) => {
        await setStatus(payload.orderId!, 'CANCELLED');
        return { reserved: true };
      },
    });
    expect((await ended(executionArn)).status).toBe('SUCCEEDED');
    expect((await readOrder(orderId))?.status).toBe('CANCELLED');
    // Nothing is charged: the saga sees the cancel before taking payment, and only releases the stock.
    expect(calledFor(orderId)).toEqual(['ReserveStock', 'RefundPayment', 'ReleaseStock']);
  });

  it('compensates and rejects the order on an unexpected error, and the execution fails', async () => {
    const { orderId, executionArn } = await runSaga({ TakePaymentFunction: () => fail('PaymentDeclined') });
    expect((await ended(executionArn)).status).toBe('SUCCEEDED');
    expect(await readOrder(orderId)).toMatchObject({ status: 'PAYMENT_FAILED', statusReason: 'PaymentDeclined' });

    const broken = await runSaga({ ReserveStockFunction: () => fail('Boom', 'a bug') });
    const execution = await ended(broken.executionArn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'FulfilmentFailed' });
    expect(await readOrder(broken.orderId)).toMatchObject({ status: 'REJECTED', statusReason: 'The order could not be fulfilled' });
    expect(calledFor(broken.orderId)).toEqual(['ReserveStock', 'RefundPayment', 'ReleaseStock']);
  });

  it('cancels a confirmed order whose wait for shipment breaks, instead of leaving it confirmed', async () => {
    const { orderId, executionArn } = await runSaga({ AwaitShipmentFunction: () => fail('Boom', 'could not park the token') });
    expect((await ended(executionArn)).status).toBe('SUCCEEDED');
    expect(await readOrder(orderId)).toMatchObject({ status: 'CANCELLED', statusReason: 'The order could not be fulfilled' });
    expect(calledFor(orderId).slice(-2)).toEqual(['RefundPayment', 'ReleaseStock']);
  });

  it('compensates a confirmation stopped midway (a timed-out or stopped Express execution undoes nothing), and rejects the order', async () => {
    const confirmOrderArn = running.stateMachines.find((machine) => machine.logicalId === 'ConfirmOrderStateMachine')!.arn;
    // The confirmation stops while the payment is being taken, as one that hits Express's
    // 5-minute limit would: after the stock was reserved, before anything undid it.
    const stopMyConfirmation = async (payload: Record<string, string>) => {
      const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: confirmOrderArn, statusFilter: 'RUNNING' }));
      for (const { executionArn } of executions) {
        const { input } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (JSON.parse(input ?? '{}').orderId === payload.orderId) await sfn.send(new StopExecutionCommand({ executionArn, cause: 'a stand-in for the 5-minute limit' }));
      }
      return new Promise(() => {});
    };
    const { orderId, executionArn } = await runSaga({ TakePaymentFunction: stopMyConfirmation });
    expect(await ended(executionArn)).toMatchObject({ status: 'FAILED', error: 'FulfilmentFailed' });
    expect(calledFor(orderId)).toEqual(['ReserveStock', 'TakePayment', 'RefundPayment', 'ReleaseStock']);
    expect(await readOrder(orderId)).toMatchObject({ status: 'REJECTED', statusReason: 'The order could not be fulfilled' });
  });

  it('fails loudly for an operator when a compensation keeps failing', async () => {
    const { orderId, executionArn } = await runSaga({
      ReserveStockFunction: () => fail('OutOfStock', 'Not enough stock'),
      AwaitShipmentFunction: () => fail('Boom'),
      RefundPaymentFunction: () => fail('RefundServiceDown'),
    });
    // Out of stock needs no compensation: the order is simply rejected.
    expect((await ended(executionArn)).status).toBe('SUCCEEDED');
    expect(await readOrder(orderId)).toMatchObject({ status: 'REJECTED', statusReason: 'Not enough stock' });

    const stuck = await runSaga({ ReserveStockFunction: () => fail('Boom'), RefundPaymentFunction: () => fail('RefundServiceDown') });
    expect(await ended(stuck.executionArn)).toMatchObject({ status: 'FAILED', error: 'CompensationFailed' });
    expect(calledFor(stuck.orderId).filter((fn) => fn === 'RefundPayment').length).toBe(9); // the first try and 8 retries
  });
});
