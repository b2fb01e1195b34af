import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalCloudState } from '#local/cloud/state-file.ts';
import checkpoint2 from './02.ts';
import checkpoint3 from './03.ts';
import checkpoint4 from './04.ts';
import type { ApiFetch, CheckpointContext, CheckpointResult } from './context.ts';

/**
 * The checkpoints of modules 2–4 against a made-up system: the API answers from the orders and
 * products below, the AWS clients are mocked. What each module leaves behind passes; each way a
 * learner can leave it unfinished gets its one-line reason. (The workshop project runs the same
 * checkpoints against a real local cloud at the end of each page.)
 */

const documents = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const sfn = mockClient(SFNClient);

interface FakeOrder {
  orderId: string;
  status: string;
  statusReason?: string;
  paymentMethod?: string;
  createdAt: string;
  lines: Array<{ productId: string; quantity: number }>;
}

interface World {
  products: Array<{ productId: string; name: string; createdAt: string }>;
  orders: Record<string, FakeOrder[]>;
  notifications?: Record<string, Array<{ eventId: string; eventType: string }>>;
  items?: Record<string, Record<string, unknown>>;
  faults?: Array<{ functionLogicalId: string }>;
  paused?: boolean;
}

const CONTROL = 'http://127.0.0.1:1';
const state = {
  controlUrl: CONTROL,
  queues: {
    FulfilmentQueue: { logicalId: 'FulfilmentQueue', url: 'q/FulfilmentQueue', deadLetterFor: [] },
    CustomerNotificationDLQ: { logicalId: 'CustomerNotificationDLQ', url: 'q/CustomerNotificationDLQ', deadLetterFor: [{ kind: 'queue', logicalId: 'CustomerNotificationQueue' }] },
  },
  stateMachineArns: { FulfilmentStateMachine: 'arn:aws:states:us-east-1:000000000000:stateMachine:FulfilmentStateMachine' },
} as unknown as LocalCloudState;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function contextFor(world: World): CheckpointContext {
  const answer =
    (user: string): ApiFetch =>
    async (path) => {
      const url = new URL(path, 'http://api');
      if (url.pathname === '/products') return json({ items: world.products });
      const orders = world.orders[user] ?? [];
      if (url.pathname === '/orders') return json({ items: [...orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, Number(url.searchParams.get('limit') ?? 20)) });
      const notifications = /^\/orders\/([^/]+)\/notifications$/.exec(url.pathname);
      if (notifications) return json({ items: world.notifications?.[notifications[1]!] ?? [] });
      const order = orders.find((candidate) => url.pathname === `/orders/${candidate.orderId}`);
      return order ? json(order) : json({ status: 404 }, 404);
    };
  return {
    cloud: state,
    table: 'OrdersTable',
    api: answer('anonymous'),
    signedIn: async (user) => answer(user),
    client: (Client) => new Client({ endpoint: 'http://127.0.0.1:1', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }),
  };
}

function serve(world: World): void {
  documents.on(GetCommand).callsFake(({ Key }: { Key: { PK: string; SK: string } }) => ({ Item: world.items?.[`${Key.PK}|${Key.SK}`] }));
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0' } });
  sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
  vi.stubGlobal('fetch', async (url: string) =>
    url === `${CONTROL}/__local/faults` ? json({ faults: world.faults ?? [] }) : json({ paused: world.paused ?? false }),
  );
}

const run = async (check: (cloud: CheckpointContext) => Promise<CheckpointResult>, world: World) => {
  serve(world);
  return check(contextFor(world));
};
const reasonOf = (result: CheckpointResult) => (result.ok ? `ok: ${result.summary}` : result.reason);

beforeEach(() => {
  documents.reset();
  sqs.reset();
  sfn.reset();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const T0 = '2026-11-30T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const line = (productId: string, quantity = 1) => [{ productId, quantity }];

describe('checkpoint 2: the race for the last units', () => {
  const mug = { productId: 'mug', name: 'Workshop race mug', createdAt: T0 };
  // The product's units are in its stock counters; a counter holds what the test gives, another the rest (here 0).
  const mugItem = (counters: Record<string, unknown>) => ({ 'PRODUCT#mug|PRODUCT': { GSI1PK: 'CATALOG#7' }, 'STOCK#mug#2|STOCK': counters, 'STOCK#mug#0|STOCK': { stock: 0, reserved: 0 } });
  const raced = (statuses: string[]): FakeOrder[] =>
    statuses.map((status, index) => ({
      orderId: `o${index}`,
      status,
      createdAt: at(index + 1),
      lines: line('mug'),
      ...(status === 'REJECTED' && { statusReason: 'Not enough stock for mug' }),
    }));

  it('passes once the race ran, refused some orders for stock, and every unit is back', async () => {
    const result = await run(checkpoint2, {
      products: [mug],
      orders: { alice: raced(['CANCELLED', 'CANCELLED', 'REJECTED', 'REJECTED', 'CANCELLED']) },
      items: mugItem({ stock: 3, reserved: 0 }),
    });
    expect(reasonOf(result)).toBe('ok: 5 orders raced for 3 "Workshop race mug" units, 2 refused for stock, none oversold; every unit is back in stock (3), the product in index shard CATALOG#7.');
  });

  it('names what is missing: the product, the race, the tidy-up', async () => {
    expect(reasonOf(await run(checkpoint2, { products: [], orders: {} }))).toMatch(/^no product named "Workshop race mug" yet: run workshop\/02-data-model.md/);
    expect(reasonOf(await run(checkpoint2, { products: [mug], orders: { alice: raced(['CONFIRMED']) }, items: mugItem({ stock: 2, reserved: 1 }) }))).toMatch(
      /^no order of "Workshop race mug" was refused for stock: the race has not run yet/,
    );
    expect(reasonOf(await run(checkpoint2, { products: [mug], orders: { alice: raced(['CONFIRMED', 'REJECTED']) }, items: mugItem({ stock: 2, reserved: 1 }) }))).toMatch(
      /^1 order\(s\) of "Workshop race mug" still hold stock \(CONFIRMED\): run .*"Tidy up"/,
    );
  });

  it('refuses an index entry outside the 16 catalog shards, and units held beyond the stock', async () => {
    expect(reasonOf(await run(checkpoint2, { products: [mug], orders: {}, items: { 'PRODUCT#mug|PRODUCT': { GSI1PK: 'CATALOG' } } }))).toMatch(/is not in a catalog shard CATALOG#0..15/);
    const oversold = await run(checkpoint2, { products: [mug], orders: { alice: raced(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'REJECTED']) }, items: mugItem({ stock: 3, reserved: 0 }) });
    expect(reasonOf(oversold)).toBe('"Workshop race mug" was oversold: its orders held 4 units of 3');
  });

  it('looks at the newest product of that name, and only at orders placed since', async () => {
    const older = { ...mug, productId: 'old-mug', createdAt: at(-3600) };
    const result = await run(checkpoint2, {
      products: [older, mug],
      orders: { alice: [{ orderId: 'before', status: 'CONFIRMED', createdAt: at(-60), lines: line('mug') }, ...raced(['CANCELLED', 'REJECTED'])] },
      items: mugItem({ stock: 3, reserved: 0 }),
    });
    expect(result.ok).toBe(true);
  });
});

describe('checkpoint 3: nothing left behind', () => {
  const bobOrder: FakeOrder = { orderId: 'b1', status: 'CONFIRMED', createdAt: T0, lines: line('filters') };
  const told = [
    { eventId: 'e1', eventType: 'OrderPlaced' },
    { eventId: 'e2', eventType: 'OrderStatusChanged' },
  ];
  const done: World = { products: [], orders: { bob: [bobOrder] }, notifications: { b1: told } };

  it('passes with no fault, the mappings running, every queue empty and one notification per event', async () => {
    expect(reasonOf(await run(checkpoint3, done))).toBe('ok: no fault set, every queue drained, every DLQ empty; bob\'s latest order has one notification per event (2).');
  });

  it('names a fault still set, and paused mappings', async () => {
    expect(reasonOf(await run(checkpoint3, { ...done, faults: [{ functionLogicalId: 'NotifyCustomerFunction' }] }))).toMatch(/^a fault is still set on NotifyCustomerFunction: clear it/);
    expect(reasonOf(await run(checkpoint3, { ...done, paused: true }))).toMatch(/^the event source mappings are paused/);
  });

  it('names a DLQ that still holds messages, with the redrive command', async () => {
    serve(done);
    sqs.on(GetQueueAttributesCommand, { QueueUrl: 'q/CustomerNotificationDLQ' }).resolves({ Attributes: { ApproximateNumberOfMessages: '1' } });
    expect(reasonOf(await checkpoint3(contextFor(done)))).toBe('CustomerNotificationDLQ holds 1 message(s): npm run queues -- redrive CustomerNotificationDLQ');
  });

  it('finds a notification lost or doubled', async () => {
    expect(reasonOf(await run(checkpoint3, { ...done, notifications: { b1: [told[1]!] } }))).toMatch(/has no "received" notification: was its DLQ redriven\?/);
    expect(reasonOf(await run(checkpoint3, { ...done, notifications: { b1: [...told, told[0]!] } }))).toMatch(/has 3 notifications for 2 events: one was doubled$/);
    expect(reasonOf(await run(checkpoint3, { ...done, orders: {} }))).toMatch(/^bob has no order yet/);
  });
});

describe('checkpoint 4: every path of the saga', () => {
  const kettle = { productId: 'kettle', name: 'Workshop saga kettle', createdAt: T0 };
  const order = (orderId: string, status: string, extra: Partial<FakeOrder> = {}): FakeOrder => ({ orderId, status, createdAt: at(orderId.length), lines: line('kettle'), ...extra });
  const everyPath: FakeOrder[] = [
    order('shipped', 'SHIPPED'),
    order('rejected', 'REJECTED', { lines: line('kettle', 99) }),
    order('declined', 'PAYMENT_FAILED', { paymentMethod: 'tok_decline' }),
    order('retried', 'SHIPPED', { paymentMethod: 'tok_transient' }),
    order('cancelled', 'CANCELLED'),
  ];
  const items = {
    'PRODUCT#kettle|PRODUCT': {},
    'STOCK#kettle#0|STOCK': { stock: 2, reserved: 0, shipped: 1 },
    'STOCK#kettle#3|STOCK': { stock: 1, reserved: 0, shipped: 1 },
    'ORDER#declined|PAYMENT': { status: 'VOIDED' },
    'ORDER#declined|RESERVATION': { status: 'RELEASED' },
    'SIMULATED_PAYMENT#retried|CHARGE': { attempts: 3 },
    'ORDER#cancelled|PAYMENT': { status: 'REFUNDED' },
    'ORDER#cancelled|RESERVATION': { status: 'RELEASED' },
  };
  const done: World = { products: [kettle], orders: { alice: everyPath }, items };

  it('passes when every path was taken and compensated, and the counters match the orders', async () => {
    expect(reasonOf(await run(checkpoint4, done))).toBe(
      'ok: "Workshop saga kettle" went down every path (shipped, out of stock, declined, retried payment, cancelled while waiting); every compensation ran, 2 shipped, 0 reserved, 3 in stock.',
    );
  });

  it('lists the paths not taken yet, counting a path only when its compensation ran', async () => {
    const partial = await run(checkpoint4, { ...done, orders: { alice: everyPath.slice(0, 2) } });
    expect(reasonOf(partial)).toBe('no order of "Workshop saga kettle" has taken these paths yet: declined (tok_decline), retried payment (tok_transient), cancelled while waiting (workshop/04-saga.md)');
    const notReleased = await run(checkpoint4, { ...done, items: { ...items, 'ORDER#declined|RESERVATION': { status: 'RESERVED' } } });
    expect(reasonOf(notReleased)).toMatch(/these paths yet: declined \(tok_decline\) \(/);
  });

  it('finds a failed saga, and counters that disagree with the orders', async () => {
    serve(done);
    sfn.on(DescribeExecutionCommand, { executionArn: 'arn:aws:states:us-east-1:000000000000:execution:FulfilmentStateMachine:cancelled' }).resolves({ status: 'FAILED' });
    expect(reasonOf(await checkpoint4(contextFor(done)))).toBe('the saga of order cancelled is FAILED: npm run executions -- cancelled');
    const leaked = await run(checkpoint4, { ...done, items: { ...items, 'STOCK#kettle#3|STOCK': { stock: 0, reserved: 1, shipped: 1 } } });
    expect(reasonOf(leaked)).toMatch(/counts 1 reserved and 2 shipped, but its confirmed orders hold 0 and its shipped orders took 2: a compensation did not run$/);
  });
});
