import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderPlaced } from '../events/schemas.ts';

vi.stubEnv('TABLE_NAME', 'orders-test');
vi.stubEnv('FULFILMENT_STATE_MACHINE_ARN', 'arn:aws:states:us-east-1:123456789012:stateMachine:fulfilment');
const documents = mockClient(DynamoDBDocumentClient);
const stepFunctions = mockClient(SFNClient);
const { awaitShipment, refundPayment, releaseStock, reserveStock, startFulfilmentOf, takePayment } = await import('./tasks.ts');
const { logger, metrics } = await import('../platform/observability.ts');
const { OrderNotFoundError, OrderNotInExpectedStatusError } = await import('./errors.ts');

const ORDER_ID = '9c1e0000-0000-4000-8000-000000000001';
const PRODUCT_ID = '5b0f0000-0000-4000-8000-000000000002';

const placed: OrderPlaced = {
  eventId: 'e-1',
  type: 'OrderPlaced',
  version: 1,
  occurredAt: '2026-11-22T10:00:00.000Z',
  correlationId: 'corr-1',
  data: {
    orderId: ORDER_ID,
    customerId: 'alice',
    currency: 'USD',
    total: 2500,
    status: 'PENDING',
    lines: [{ productId: PRODUCT_ID, productName: 'Kettle', unitPrice: 2500, quantity: 1, lineTotal: 2500 }],
  },
};

beforeEach(() => {
  documents.reset();
  stepFunctions.reset();
});

describe('startFulfilmentOf', () => {
  it('starts one execution named after the order, with the saga input', async () => {
    stepFunctions.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    await startFulfilmentOf(placed);
    const [call] = stepFunctions.commandCalls(StartExecutionCommand);
    expect(call?.args[0].input.name).toBe(ORDER_ID);
    expect(JSON.parse(call?.args[0].input.input ?? '{}')).toEqual({
      orderId: ORDER_ID,
      customerId: 'alice',
      total: 2500,
      currency: 'USD',
      correlationId: 'corr-1',
      lines: [{ productId: PRODUCT_ID, quantity: 1 }],
    });
  });

  it('treats a redelivered OrderPlaced (the execution exists) as done', async () => {
    stepFunctions.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(startFulfilmentOf(placed)).resolves.toBeUndefined();
  });

  it('lets any other failure through, so the message is retried', async () => {
    stepFunctions.on(StartExecutionCommand).rejects(new Error('throttled'));
    await expect(startFulfilmentOf(placed)).rejects.toThrow('throttled');
  });
});

describe('takePayment', () => {
  it('charges nothing once the compensation voided the payment', async () => {
    documents.on(GetCommand).resolves({ Item: { status: 'VOIDED' } });
    await expect(takePayment({ orderId: ORDER_ID })).rejects.toMatchObject({ name: 'PaymentVoided' });
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(documents.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('returns the recorded charge without calling the provider again', async () => {
    documents.on(GetCommand).resolves({ Item: { chargeId: 'ch_1', amount: 2500, currency: 'USD', status: 'CHARGED' } });
    expect(await takePayment({ orderId: ORDER_ID })).toEqual({ chargeId: 'ch_1' });
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(documents.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('charges the order’s total from the table, keyed by the order id, and records it', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({
      Items: [{ SK: 'ORDER', orderId: ORDER_ID, customerId: 'alice', status: 'PENDING', currency: 'USD', total: 2500, paymentMethod: 'tok_visa' }],
    });
    documents.on(UpdateCommand).resolves({ Attributes: { attempts: 1 } });
    documents.on(PutCommand).resolves({});
    expect(await takePayment({ orderId: ORDER_ID })).toEqual({ chargeId: `ch_${ORDER_ID}` });
    const [record] = documents.commandCalls(PutCommand);
    expect(record?.args[0].input.Item).toMatchObject({ SK: 'PAYMENT', status: 'CHARGED', amount: 2500 });
  });
});

describe('takePayment racing the compensation', () => {
  const paymentKey = { PK: `ORDER#${ORDER_ID}`, SK: 'PAYMENT' };
  const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  const orderToCharge = () => {
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [{ SK: 'ORDER', orderId: ORDER_ID, total: 2500, currency: 'USD', paymentMethod: 'tok_visa' }] });
    documents.on(UpdateCommand).resolves({ Attributes: { attempts: 1 } });
  };
  beforeEach(() => vi.clearAllMocks());

  it('says which compensation it found: a voided payment or a refunded one', async () => {
    documents.on(GetCommand).resolves({ Item: { status: 'REFUNDED', chargeId: 'ch_1' } });
    await expect(takePayment({ orderId: ORDER_ID })).rejects.toThrow(`The payment of order ${ORDER_ID} was refunded by the saga's compensation`);
  });

  it('refunds its own charge when the compensation voided the payment while it was charging, and fails with PaymentVoided', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const addMetric = vi.spyOn(metrics, 'addMetric');
    orderToCharge();
    documents.on(GetCommand, { Key: paymentKey }).resolvesOnce({}).resolves({ Item: { status: 'VOIDED' } });
    documents.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    await expect(takePayment({ orderId: ORDER_ID })).rejects.toMatchObject({
      name: 'PaymentVoided',
      message: `The payment of order ${ORDER_ID} was voided while it was being charged; the charge was refunded`,
    });
    const refunds = documents.commandCalls(UpdateCommand).filter((call) => call.args[0].input.Key?.PK === `SIMULATED_PAYMENT#${ORDER_ID}` && call.args[0].input.UpdateExpression === 'SET refunded = :true');
    expect(refunds).toHaveLength(1);
    const [, refundRecord] = documents.commandCalls(PutCommand);
    expect(refundRecord?.args[0].input.Item).toMatchObject({ ...paymentKey, status: 'REFUNDED', chargeId: `ch_${ORDER_ID}`, amount: 2500 });
    expect(addMetric).toHaveBeenCalledWith('PaymentsRefunded', 'Count', 1);
    expect(addMetric).not.toHaveBeenCalledWith('PaymentsTaken', 'Count', 1);
    expect(warn).toHaveBeenCalledWith('Refunded a charge that landed after the saga voided the payment', { chargeId: `ch_${ORDER_ID}` });
  });

  it('does not count a refund another attempt recorded first', async () => {
    const addMetric = vi.spyOn(metrics, 'addMetric');
    orderToCharge();
    documents.on(GetCommand, { Key: paymentKey }).resolvesOnce({}).resolves({ Item: { status: 'VOIDED' } });
    documents.on(PutCommand).rejects(conditionFailed());
    await expect(takePayment({ orderId: ORDER_ID })).rejects.toMatchObject({ name: 'PaymentVoided' });
    expect(addMetric).not.toHaveBeenCalled();
  });

  it('returns the charge another attempt recorded (same provider key), refunding nothing', async () => {
    orderToCharge();
    documents.on(GetCommand, { Key: paymentKey }).resolvesOnce({}).resolves({ Item: { status: 'CHARGED', chargeId: `ch_${ORDER_ID}`, amount: 2500, currency: 'USD' } });
    documents.on(PutCommand).rejects(conditionFailed());
    expect(await takePayment({ orderId: ORDER_ID })).toEqual({ chargeId: `ch_${ORDER_ID}` });
    expect(documents.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('fails with PaymentVoided, refunding nothing more, when the compensation already refunded its charge', async () => {
    orderToCharge();
    documents.on(GetCommand, { Key: paymentKey }).resolvesOnce({}).resolves({ Item: { status: 'REFUNDED', chargeId: `ch_${ORDER_ID}`, amount: 2500, currency: 'USD' } });
    documents.on(PutCommand).rejects(conditionFailed());
    await expect(takePayment({ orderId: ORDER_ID })).rejects.toMatchObject({ name: 'PaymentVoided' });
    expect(documents.commandCalls(PutCommand)).toHaveLength(1);
  });
});

describe('refundPayment', () => {
  it('voids the payment when nothing was charged, here or at the provider, refunding nothing', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(PutCommand).resolves({});
    expect(await refundPayment({ orderId: ORDER_ID })).toEqual({ refunded: false });
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
    const [voided] = documents.commandCalls(PutCommand);
    expect(voided?.args[0].input).toMatchObject({
      Item: { PK: `ORDER#${ORDER_ID}`, SK: 'PAYMENT', status: 'VOIDED' },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  });

  it('does not void again a payment already voided', async () => {
    documents.on(GetCommand).resolves({ Item: { status: 'VOIDED' } });
    expect(await refundPayment({ orderId: ORDER_ID })).toEqual({ refunded: false });
    expect(documents.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refunds a charge whose answer was lost, found at the provider under the order id', async () => {
    documents.on(GetCommand, { Key: { PK: `ORDER#${ORDER_ID}`, SK: 'PAYMENT' } }).resolves({});
    documents.on(GetCommand, { Key: { PK: `SIMULATED_PAYMENT#${ORDER_ID}`, SK: 'CHARGE' } }).resolves({ Item: { chargeId: `ch_${ORDER_ID}` } });
    documents.on(QueryCommand).resolves({ Items: [{ SK: 'ORDER', orderId: ORDER_ID, total: 2500, currency: 'USD', paymentMethod: 'tok_timeout' }] });
    documents.on(UpdateCommand).resolves({});
    documents.on(PutCommand).resolves({});
    expect(await refundPayment({ orderId: ORDER_ID })).toEqual({ refunded: true });
    const [refund] = documents.commandCalls(UpdateCommand);
    expect(refund?.args[0].input.Key).toEqual({ PK: `SIMULATED_PAYMENT#${ORDER_ID}`, SK: 'CHARGE' });
    const [record] = documents.commandCalls(PutCommand);
    expect(record?.args[0].input.Item).toMatchObject({ SK: 'PAYMENT', status: 'REFUNDED', chargeId: `ch_${ORDER_ID}`, amount: 2500 });
  });

  it('does nothing when the payment was already refunded', async () => {
    documents.on(GetCommand).resolves({ Item: { chargeId: 'ch_1', status: 'REFUNDED' } });
    expect(await refundPayment({ orderId: ORDER_ID })).toEqual({ refunded: false });
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

describe('saga steps: what each answers the state machine', () => {
  const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

  it('takePayment fails with OrderNotFound for an order that is not in the table, charging nothing', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [] });
    await expect(takePayment({ orderId: ORDER_ID })).rejects.toThrow(new OrderNotFoundError(`Order ${ORDER_ID} was not found`));
    expect(documents.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refundPayment refunds a recorded charge at the provider, then marks the payment REFUNDED', async () => {
    documents.on(GetCommand).resolves({ Item: { chargeId: 'ch_1', amount: 2500, currency: 'USD', status: 'CHARGED' } });
    documents.on(UpdateCommand).resolves({});
    expect(await refundPayment({ orderId: ORDER_ID })).toEqual({ refunded: true });
    const [refund, mark] = documents.commandCalls(UpdateCommand);
    expect(refund?.args[0].input.Key).toEqual({ PK: 'SIMULATED_PAYMENT#1', SK: 'CHARGE' });
    expect(mark?.args[0].input.Key).toEqual({ PK: `ORDER#${ORDER_ID}`, SK: 'PAYMENT' });
    expect(mark?.args[0].input.ExpressionAttributeValues).toMatchObject({ ':refunded': 'REFUNDED' });
  });

  it('refundPayment answers refunded: false when another attempt marked the payment refunded first', async () => {
    documents.on(GetCommand).resolves({ Item: { chargeId: 'ch_1', amount: 2500, currency: 'USD', status: 'CHARGED' } });
    documents.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    expect(await refundPayment({ orderId: ORDER_ID })).toEqual({ refunded: false });
  });

  it('releaseStock releases nothing when the order holds no reservation', async () => {
    documents.on(GetCommand).resolves({});
    expect(await releaseStock({ orderId: ORDER_ID })).toEqual({ released: false });
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('awaitShipment parks the task token on a CONFIRMED order', async () => {
    documents.on(UpdateCommand).resolves({});
    expect(await awaitShipment({ orderId: ORDER_ID, taskToken: 'token-1' })).toEqual({ waiting: true });
    const [store] = documents.commandCalls(UpdateCommand);
    expect(store?.args[0].input.ExpressionAttributeValues).toMatchObject({ ':token': 'token-1', ':confirmed': 'CONFIRMED' });
  });

  it('awaitShipment fails with OrderNotInExpectedStatus when the order is no longer CONFIRMED', async () => {
    documents.on(UpdateCommand).rejects(conditionFailed());
    await expect(awaitShipment({ orderId: ORDER_ID, taskToken: 'token-1' })).rejects.toThrow(
      new OrderNotInExpectedStatusError(`Order ${ORDER_ID} is no longer CONFIRMED`),
    );
  });
});

describe('saga steps: what each leaves in the logs and metrics', () => {
  const info = vi.spyOn(logger, 'info');
  const warn = vi.spyOn(logger, 'warn');
  const addMetric = vi.spyOn(metrics, 'addMetric');
  beforeEach(() => vi.clearAllMocks());

  it('reserveStock reserves every line and the reservation in one transaction', async () => {
    documents.on(TransactWriteCommand).resolves({});
    expect(await reserveStock({ orderId: ORDER_ID, lines: [{ productId: PRODUCT_ID, quantity: 2 }] })).toEqual({ reserved: true });
    expect(documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toHaveLength(2);
    expect(info).not.toHaveBeenCalled();
  });

  it('reserveStock treats a reservation that already exists as done, and says so', async () => {
    documents.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    expect(await reserveStock({ orderId: ORDER_ID, lines: [{ productId: PRODUCT_ID, quantity: 2 }] })).toEqual({ reserved: true });
    expect(info).toHaveBeenCalledWith('Stock was already reserved for this order');
  });

  it('takePayment counts a charge it takes', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [{ SK: 'ORDER', orderId: ORDER_ID, total: 2500, currency: 'USD', paymentMethod: 'tok_visa' }] });
    documents.on(UpdateCommand).resolves({ Attributes: { attempts: 1 } });
    documents.on(PutCommand).resolves({});
    await takePayment({ orderId: ORDER_ID });
    expect(addMetric).toHaveBeenCalledWith('PaymentsTaken', 'Count', 1);
    expect(info).toHaveBeenCalledWith('Payment taken', { chargeId: `ch_${ORDER_ID}`, amount: 2500, currency: 'USD' });
  });

  it('refundPayment counts a refund of a recorded charge, and only a refund it made', async () => {
    documents.on(GetCommand).resolves({ Item: { chargeId: 'ch_1', amount: 2500, currency: 'USD', status: 'CHARGED' } });
    documents.on(UpdateCommand).resolves({});
    await refundPayment({ orderId: ORDER_ID });
    expect(addMetric).toHaveBeenCalledWith('PaymentsRefunded', 'Count', 1);
    expect(info).toHaveBeenLastCalledWith('Payment refunded', { chargeId: 'ch_1' });
    addMetric.mockClear();
    documents.reset();
    documents.on(GetCommand).resolves({ Item: { chargeId: 'ch_1', amount: 2500, currency: 'USD', status: 'CHARGED' } });
    documents.on(UpdateCommand).resolvesOnce({}).rejectsOnce(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    await refundPayment({ orderId: ORDER_ID });
    expect(addMetric).not.toHaveBeenCalled();
    expect(info).toHaveBeenLastCalledWith('Payment was already refunded', { chargeId: 'ch_1' });
  });

  it('refundPayment does not count the refund of a lost charge another attempt recorded first', async () => {
    documents.on(GetCommand, { Key: { PK: `ORDER#${ORDER_ID}`, SK: 'PAYMENT' } }).resolves({});
    documents.on(GetCommand, { Key: { PK: `SIMULATED_PAYMENT#${ORDER_ID}`, SK: 'CHARGE' } }).resolves({ Item: { chargeId: `ch_${ORDER_ID}` } });
    documents.on(QueryCommand).resolves({ Items: [{ SK: 'ORDER', orderId: ORDER_ID, total: 2500, currency: 'USD', paymentMethod: 'tok_timeout' }] });
    documents.on(UpdateCommand).resolves({});
    documents.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    expect(await refundPayment({ orderId: ORDER_ID })).toEqual({ refunded: false });
    expect(addMetric).not.toHaveBeenCalled();
  });

  it('releaseStock and awaitShipment say what they did', async () => {
    documents.on(GetCommand).resolves({ Item: { status: 'RESERVED', lines: [{ productId: PRODUCT_ID, quantity: 2 }], takes: [{ productId: PRODUCT_ID, counter: 1, quantity: 2 }] } });
    documents.on(TransactWriteCommand).resolves({});
    expect(await releaseStock({ orderId: ORDER_ID })).toEqual({ released: true });
    expect(info).toHaveBeenLastCalledWith('Stock released');
    documents.on(GetCommand).resolves({});
    await releaseStock({ orderId: ORDER_ID });
    expect(info).toHaveBeenLastCalledWith('No reserved stock to release');
    documents.on(UpdateCommand).resolves({});
    await awaitShipment({ orderId: ORDER_ID, taskToken: 'token-1' });
    expect(info).toHaveBeenLastCalledWith('Waiting for shipment');
  });

  it('refundPayment warns about, and counts, the refund of a charge whose answer was lost', async () => {
    documents.on(GetCommand, { Key: { PK: `ORDER#${ORDER_ID}`, SK: 'PAYMENT' } }).resolves({});
    documents.on(GetCommand, { Key: { PK: `SIMULATED_PAYMENT#${ORDER_ID}`, SK: 'CHARGE' } }).resolves({ Item: { chargeId: `ch_${ORDER_ID}` } });
    documents.on(QueryCommand).resolves({ Items: [{ SK: 'ORDER', orderId: ORDER_ID, total: 2500, currency: 'USD', paymentMethod: 'tok_timeout' }] });
    documents.on(UpdateCommand).resolves({});
    documents.on(PutCommand).resolves({});
    await refundPayment({ orderId: ORDER_ID });
    expect(warn).toHaveBeenCalledWith('Refunded a charge whose answer had been lost', { chargeId: `ch_${ORDER_ID}` });
    expect(addMetric).toHaveBeenCalledWith('PaymentsRefunded', 'Count', 1);
  });

  it('refundPayment refunds a lost charge even when its order is gone, then fails with OrderNotFound', async () => {
    documents.on(GetCommand, { Key: { PK: `ORDER#${ORDER_ID}`, SK: 'PAYMENT' } }).resolves({});
    documents.on(GetCommand, { Key: { PK: `SIMULATED_PAYMENT#${ORDER_ID}`, SK: 'CHARGE' } }).resolves({ Item: { chargeId: `ch_${ORDER_ID}` } });
    documents.on(QueryCommand).resolves({ Items: [] });
    documents.on(UpdateCommand).resolves({});
    await expect(refundPayment({ orderId: ORDER_ID })).rejects.toThrow(new OrderNotFoundError(`Order ${ORDER_ID} was not found`));
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(documents.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('startFulfilmentOf logs whether it started the saga or found it started', async () => {
    stepFunctions.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    await startFulfilmentOf(placed);
    expect(info).toHaveBeenLastCalledWith('Fulfilment started');
    stepFunctions.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await startFulfilmentOf(placed);
    expect(info).toHaveBeenLastCalledWith('Fulfilment was already started (duplicate delivery)');
  });
});
