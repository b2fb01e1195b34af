import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StockRepository } from '../fulfilment/stock-repository.ts';
import { ORDER_HEADER_SK, orderKey, reservationKey, STATUS_SHARDS, statusPartitionBase } from '../platform/table/keys.ts';
import { canTransition, INITIAL_STATUS, ORDER_STATUSES, statusChange, type Order, type OrderStatus } from './order.ts';
import { OrderRepository } from './order-repository.ts';

// The domain's transition table (order.ts) is the single truth of the order lifecycle. Statuses
// are written by the repositories and, directly, by states of the fulfilment state machine;
// this suite reads every one of those writes (the status it sets and the statuses its condition
// lets it write over) and fails on any the domain does not allow.

// The saga is two state machines: fulfilment.asl.json starts and waits for confirm-order.asl.json.
const ASL_PATHS = ['fulfilment.asl.json', 'confirm-order.asl.json'].map((file) => new URL(`../../../../statemachine/${file}`, import.meta.url));

/** One write of an order's status, as found in a state machine state or a repository command. */
interface StatusWrite {
  where: string;
  to: string | undefined;
  /** The statuses the condition allows the write over; undefined when it has no status condition. */
  from: string[] | undefined;
  /** The GSI2 partition written with the status (it must follow the status). */
  partition: string | undefined;
}

/** A DynamoDB update, with values either plain (document client) or typed (`{ S: … }`, as in ASL). */
interface UpdateLike {
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** A literal string value; a path (`S.$`) or anything else is not a literal and gives undefined. */
function literal(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { S?: unknown }).S === 'string') {
    return (value as { S: string }).S;
  }
  return undefined;
}

/**
 * The status index partition a write sets, with its shard written as the range it is drawn
 * from: `STATUS#CONFIRMED#<0..16>` for a literal `STATUS#CONFIRMED#7` (the repositories) and for
 * the state machine's `States.Format('STATUS#CONFIRMED#{}', States.MathRandom(0, 16))`.
 */
function partitionOf(value: unknown): string | undefined {
  const text = literal(value);
  if (text !== undefined) return text.replace(/#(\d+)$/, (shard, n: string) => (Number(n) < STATUS_SHARDS ? `#<0..${STATUS_SHARDS}>` : shard));
  const path = typeof value === 'object' && value !== null ? (value as { 'S.$'?: unknown })['S.$'] : undefined;
  const drawn = typeof path === 'string' ? /^States\.Format\('(.+)#\{\}', States\.MathRandom\(0, (\d+)\)\)$/.exec(path) : null;
  return drawn ? `${drawn[1]}#<0..${drawn[2]}>` : undefined;
}
const shardedStatusPartition = (status: OrderStatus) => `${statusPartitionBase(status)}#<0..${STATUS_SHARDS}>`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The status write of one update, or undefined when it does not set the `status` attribute. */
function statusWriteOf(where: string, update: UpdateLike): StatusWrite | undefined {
  const names = update.ExpressionAttributeNames ?? {};
  const values = update.ExpressionAttributeValues ?? {};
  const statusName = Object.keys(names).find((placeholder) => names[placeholder] === 'status') ?? 'status';
  const set = /\bSET\b(.*?)(?:\b(?:REMOVE|ADD|DELETE)\b|$)/s.exec(update.UpdateExpression ?? '')?.[1] ?? '';
  const assigned = (attribute: string) =>
    new RegExp(`(?:^|,)\\s*${escape(attribute)}\\s*=\\s*(:\\w+)\\s*(?:,|$)`).exec(set)?.[1];
  const toPlaceholder = assigned(statusName);
  if (toPlaceholder === undefined) return undefined;

  const condition = update.ConditionExpression ?? '';
  const inList = new RegExp(`${escape(statusName)}\\s+IN\\s*\\(([^)]*)\\)`).exec(condition)?.[1];
  const equals = new RegExp(`${escape(statusName)}\\s*=\\s*(:\\w+)`).exec(condition)?.[1];
  const fromPlaceholders = inList !== undefined ? inList.split(',').map((part) => part.trim()) : equals !== undefined ? [equals] : undefined;
  const partitionPlaceholder = assigned('GSI2PK');
  return {
    where,
    to: literal(values[toPlaceholder]),
    from: fromPlaceholders?.map((placeholder) => literal(values[placeholder]) ?? `(not a literal: ${placeholder})`),
    partition: partitionPlaceholder === undefined ? undefined : partitionOf(values[partitionPlaceholder]),
  };
}

/** Why a status write breaks the lifecycle; empty when it does not. */
function violationsOf(write: StatusWrite): string[] {
  const { where, to, from } = write;
  if (to === undefined || !(ORDER_STATUSES as readonly string[]).includes(to)) {
    return [`${where}: writes status ${String(to)}, which is not a literal status of the domain`];
  }
  if (from === undefined || from.length === 0) {
    return [`${where}: writes ${to} without a condition on the current status`];
  }
  const problems = from
    .filter((status) => !(ORDER_STATUSES as readonly string[]).includes(status) || !canTransition(status as OrderStatus, to as OrderStatus))
    .map((status) => `${where}: ${status} -> ${to} is not an allowed transition`);
  if (write.partition !== shardedStatusPartition(to as OrderStatus)) {
    problems.push(`${where}: writes ${to} with GSI2PK ${String(write.partition)} instead of ${shardedStatusPartition(to as OrderStatus)}`);
  }
  return problems;
}

interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: UpdateLike & Record<string, unknown>;
  Arguments?: UpdateLike & Record<string, unknown>;
  Branches?: { States: Record<string, AslState> }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
}

/** Every DynamoDB write state of a state machine definition that sets an order's status. */
function aslStatusWrites(definition: { States: Record<string, AslState> }): StatusWrite[] {
  const writes: StatusWrite[] = [];
  const walk = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      const resource = state.Resource ?? '';
      if (/^arn:aws:states:::(aws-sdk:)?dynamodb:(updateItem|putItem|transactWriteItems)/i.test(resource)) {
        if (!/:updateItem$/i.test(resource)) {
          // Not read by this suite: fail loudly rather than let such a write go unchecked.
          writes.push({ where: `state ${name}`, to: `(unchecked ${resource})`, from: undefined, partition: undefined });
        } else {
          const write = statusWriteOf(`state ${name}`, state.Parameters ?? state.Arguments ?? {});
          if (write) writes.push(write);
        }
      }
      for (const branch of state.Branches ?? []) walk(branch.States);
      if (state.ItemProcessor) walk(state.ItemProcessor.States);
      if (state.Iterator) walk(state.Iterator.States);
    }
  };
  walk(definition.States);
  return writes;
}

type Asl = { States: Record<string, AslState> };
/** Both definitions of the saga, parent first. */
const readSaga = () => ASL_PATHS.map((url) => JSON.parse(readFileSync(url, 'utf8')) as Asl);
/** A copy of the saga, with `edit` applied to the definition that has `stateName`, and all its status writes. */
const sagaWritesWith = (stateName: string, edit: (state: AslState) => void) =>
  readSaga().flatMap((definition) => {
    const state = definition.States[stateName];
    if (state !== undefined) edit(state);
    return aslStatusWrites(definition);
  });

describe('the fulfilment state machines write only transitions the domain allows', () => {
  const writes = readSaga().flatMap(aslStatusWrites);

  it('finds the status writes of the direct DynamoDB states', () => {
    expect(new Set(writes.map((write) => write.to))).toEqual(new Set(['CONFIRMED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED']));
  });

  it('has no write outside the lifecycle', () => {
    expect(writes.flatMap(violationsOf)).toEqual([]);
  });

  it('reports a state that writes a disallowed transition (a copy with SHIPPED -> CONFIRMED)', () => {
    const copy = sagaWritesWith('MarkConfirmed', (markConfirmed) => {
      expect(markConfirmed.Parameters?.ExpressionAttributeValues?.[':from0']).toEqual({ S: 'PENDING' });
      markConfirmed.Parameters!.ExpressionAttributeValues![':from0'] = { S: 'SHIPPED' };
    });
    expect(copy.flatMap(violationsOf)).toEqual(['state MarkConfirmed: SHIPPED -> CONFIRMED is not an allowed transition']);
  });

  it('reports a state that writes a status with no condition on the current one', () => {
    const copy = sagaWritesWith('MarkConfirmed', (markConfirmed) => {
      delete markConfirmed.Parameters!.ConditionExpression;
    });
    expect(copy.flatMap(violationsOf)).toEqual(['state MarkConfirmed: writes CONFIRMED without a condition on the current status']);
  });
});

describe('the repositories write only transitions the domain allows', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const ORDER_ID = '00000000-0000-4000-8000-000000000001';
  const context = { correlationId: 'c', now: '2026-01-01T00:00:00.000Z' };

  beforeEach(() => {
    documents.reset();
    documents.on(UpdateCommand).resolves({ Attributes: { ...orderKey(ORDER_ID), orderId: ORDER_ID, status: 'CANCELLED' } });
    documents.on(PutCommand).resolves({});
    documents.on(TransactWriteCommand).resolves({});
    documents.on(GetCommand, { Key: reservationKey(ORDER_ID) }).resolves({
      Item: { status: 'RESERVED', lines: [{ productId: 'p', quantity: 1 }], takes: [{ productId: 'p', counter: 0, quantity: 1 }] },
    });
    documents.on(GetCommand, { Key: orderKey(ORDER_ID) }).resolves({ Item: { ...orderKey(ORDER_ID), status: 'CONFIRMED' } });
  });

  /** Every order-header write the mocked client received, as status writes (with creations). */
  function sentStatusWrites(): { writes: StatusWrite[]; created: unknown[] } {
    const isOrderHeader = (key: unknown) => (key as { SK?: unknown } | undefined)?.SK === ORDER_HEADER_SK;
    const updates: { where: string; update: UpdateLike & { Key?: unknown } }[] = [
      ...documents.commandCalls(UpdateCommand).map((call) => ({ where: 'UpdateCommand', update: call.args[0].input })),
      ...documents
        .commandCalls(TransactWriteCommand)
        .flatMap((call) => call.args[0].input.TransactItems ?? [])
        .flatMap((item) => (item.Update ? [{ where: 'TransactWriteCommand', update: item.Update }] : [])),
    ];
    const puts = [
      ...documents.commandCalls(PutCommand).map((call) => call.args[0].input.Item),
      ...documents
        .commandCalls(TransactWriteCommand)
        .flatMap((call) => call.args[0].input.TransactItems ?? [])
        .map((item) => item.Put?.Item),
    ].filter((item) => isOrderHeader(item));
    return {
      writes: updates.filter(({ update }) => isOrderHeader(update.Key)).flatMap(({ where, update }) => statusWriteOf(where, update) ?? []),
      created: puts.map((item) => (item as { status?: unknown }).status),
    };
  }

  it('OrderRepository creates orders in the initial status', async () => {
    const order: Order = {
      orderId: ORDER_ID,
      customerId: 'alice',
      status: INITIAL_STATUS,
      currency: 'USD',
      lines: [{ productId: 'p', productName: 'P', unitPrice: 1, quantity: 1, lineTotal: 1 }],
      total: 1,
      shippingAddress: { name: 'A', line1: '1 Road', city: 'C', postalCode: '1', country: 'GB' },
      paymentMethod: 'tok_visa',
      createdAt: context.now,
      updatedAt: context.now,
    };
    await new OrderRepository(client, 'table').create(order, context);
    expect(sentStatusWrites().created).toEqual(['PENDING']);
  });

  it.each(ORDER_STATUSES.filter((to) => ORDER_STATUSES.some((from) => canTransition(from, to))))(
    'OrderRepository.transition to %s writes only over statuses that may become it',
    async (to) => {
      await new OrderRepository(client, 'table').transition(ORDER_ID, to, { ...context, customerId: 'alice' });
      const { writes } = sentStatusWrites();
      expect(writes).toHaveLength(1);
      expect(writes.flatMap(violationsOf)).toEqual([]);
      expect(writes[0]?.to).toBe(to);
    },
  );

  it('OrderRepository.storeShipmentTaskToken does not write a status', async () => {
    await new OrderRepository(client, 'table').storeShipmentTaskToken(ORDER_ID, 'token');
    expect(sentStatusWrites().writes).toEqual([]);
  });

  it('StockRepository.commitShipment ships a CONFIRMED order only', async () => {
    await new StockRepository(client, 'table').commitShipment(ORDER_ID, { ...context, trackingNumber: 'T' });
    const { writes } = sentStatusWrites();
    expect(writes.flatMap(violationsOf)).toEqual([]);
    expect(writes.map(({ from, to }) => ({ from, to }))).toEqual([{ from: ['CONFIRMED'], to: 'SHIPPED' }]);
  });
});

describe('statusChange, the one builder of status updates', () => {
  it('moves from every status that may become the target, by default', () => {
    expect(statusChange('CANCELLED')).toEqual({ to: 'CANCELLED', from: ['PENDING', 'CONFIRMED'] });
    expect(statusChange('SHIPPED', ['CONFIRMED'])).toEqual({ to: 'SHIPPED', from: ['CONFIRMED'] });
  });

  it('refuses a transition the lifecycle does not allow', () => {
    expect(() => statusChange('CONFIRMED', ['SHIPPED'])).toThrow('does not allow SHIPPED -> CONFIRMED');
    expect(() => statusChange(INITIAL_STATUS)).toThrow('does not allow (nothing) -> PENDING');
  });
});
