import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ListExecutionsCommand, SFNClient, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type LocalCloud, startLocalCloudOnFreePorts } from '#local/cloud/local-cloud.ts';
import { fileLog } from '#local/cloud/local-cloud-log.ts';
import { LOCAL_CLOUD_DIRECTORY, REPOSITORY_ROOT } from '#local/cloud/state-file.ts';
import { writeLeastPrivilegeReport } from '#local/iam/least-privilege.ts';
import type { FaultPlan } from '#local/faults/fault-plan.ts';
import { seededRandom, type Random } from '#local/faults/random.ts';
import { idTokenFor } from '#local/seed/sign-in.ts';
import { type ReplayClients, replayStreamFailures } from '../../scripts/replay/stream-failures.ts';
import { stockCounterKeys } from '../../layers/shared/src/platform/table/keys.ts';

/**
 * The soak run: N orders through the whole local cloud with faults on, then a check that
 * nothing was lost and nothing happened twice. It starts its own local cloud (free loopback
 * ports, a small time scale, the fault plan), creates its own products with known stock,
 * places the orders over HTTP with bounded concurrency, drives cancels and shipments, waits
 * (bounded) for quiescence, redrives whatever reached a DLQ (faults off) and waits again, then
 * reads the table directly and checks the invariants. Every loop is bounded in count and time.
 *
 * Late redrives: the "late-*" orders buy a product of their own whose OrderPlaced messages the
 * fault plan holds (StartFulfilmentFunction fails them until the faults are disarmed), so they
 * sit in FulfilmentDLQ with no saga. Once the system is still, each is cancelled by its
 * customer or shipped by an admin (refused: shipping needs CONFIRMED), and only then redriven:
 * the saga starts late and must end it right.
 */

export type Scenario = 'card' | 'decline' | 'transient' | 'timeout' | 'exceed' | 'cancel' | 'ship' | 'late-cancel' | 'late-ship';

export interface SoakOptions {
  orders: number;
  /** The whole run's budget in seconds (placing, settling, redriving). */
  timeoutSeconds: number;
  concurrency?: number;
  /** The local cloud's time scale (default 0.02: queue time and saga retries 50× faster). */
  timeScale?: number;
  /** Default: `DEFAULT_SOAK_FAULTS`. `null`: no faults. */
  faults?: FaultPlan | null;
  seed?: number;
  /** Where the local cloud logs (default .local-cloud/logs/soak.log). */
  logPath?: string;
  onProgress?: (message: string) => void;
}

/**
 * Every kind of invocation also times out after its work now and then (API, queue, stream and
 * saga steps): the write happened, the response was lost, the caller retries.
 */
export const DEFAULT_SOAK_FAULTS: FaultPlan = {
  functions: {
    PlaceOrderFunction: { timeoutAfterWorkRate: 0.03 },
    CancelOrderFunction: { timeoutAfterWorkRate: 0.05 },
    ShipOrderFunction: { timeoutAfterWorkRate: 0.05 },
    PublishOrderEventsFunction: { throwRate: 0.05, timeoutAfterWorkRate: 0.02 },
    StartFulfilmentFunction: { throwRate: 0.1, timeoutAfterWorkRate: 0.03 },
    NotifyCustomerFunction: { throwRate: 0.1, timeoutRate: 0.05, timeoutAfterWorkRate: 0.03 },
    ReserveStockFunction: { timeoutAfterWorkRate: 0.03 },
    TakePaymentFunction: { timeoutRate: 0.02, timeoutAfterWorkRate: 0.03 },
    RefundPaymentFunction: { timeoutAfterWorkRate: 0.05 },
    ReleaseStockFunction: { timeoutAfterWorkRate: 0.05 },
  },
  paymentFailureRate: 0.15,
  dynamoDbThrottleRate: 0.03,
  seed: 42,
};

const SCENARIO_WEIGHTS: Array<[Scenario, number]> = [
  ['card', 35],
  ['decline', 10],
  ['transient', 10],
  ['timeout', 10],
  ['exceed', 5],
  ['cancel', 15],
  ['ship', 15],
  ['late-cancel', 4],
  ['late-ship', 4],
];
/** The function that holds the late orders' OrderPlaced messages until the redrive. */
const LATE_HELD_BY = 'StartFulfilmentFunction';

/** What each scenario may end in when no fault touched the order. `REJECTED` = out of stock. */
const EXPECTED: Record<Scenario, string[]> = {
  card: ['CONFIRMED', 'REJECTED'],
  decline: ['PAYMENT_FAILED', 'REJECTED'],
  transient: ['CONFIRMED', 'REJECTED'],
  timeout: ['CONFIRMED', 'REJECTED'],
  exceed: ['REJECTED'],
  cancel: ['CANCELLED', 'REJECTED'],
  ship: ['SHIPPED', 'REJECTED'],
  // Cancelled while its saga had not started: the late saga must release, never charge.
  'late-cancel': ['CANCELLED'],
  // The ship was refused (still PENDING); the late saga confirms it and waits for shipment.
  'late-ship': ['CONFIRMED'],
};
const PAYMENT_METHOD: Record<Scenario, string> = {
  card: 'tok_visa',
  decline: 'tok_decline',
  transient: 'tok_transient',
  timeout: 'tok_timeout',
  exceed: 'tok_visa',
  cancel: 'tok_visa',
  ship: 'tok_visa',
  'late-cancel': 'tok_visa',
  'late-ship': 'tok_visa',
};
const TERMINAL = new Set(['SHIPPED', 'CANCELLED', 'REJECTED', 'PAYMENT_FAILED']);
const NOTIFIED = new Set(['PENDING', 'CONFIRMED', 'SHIPPED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED']);
const KEPT_MONEY = new Set(['CONFIRMED', 'SHIPPED']);
const ADDRESS = { name: 'Soak Tester', line1: '1 Load St', city: 'Springfield', postalCode: '12345', country: 'US' };

export interface PlacedOrder {
  orderId: string;
  scenario: Scenario;
  productId: string;
  quantity: number;
  customer: string;
}

export interface SoakReport {
  ordersRequested: number;
  ordersPlaced: number;
  /** Orders the API never accepted (after retries with the same Idempotency-Key). */
  placementFailures: number;
  /** scenario → final status → count; `*` marks outcomes outside the scenario's expectation explained by a fault on the order. */
  outcomes: Record<string, Record<string, number>>;
  faults: { injected: Record<string, number>; total: number; ordersTouched: number };
  retries: { apiRetries: number; failedEventSourceBatches: number; executionsFailed: number };
  /** Queue DLQs moved back to their source; stream on-failure records replayed (messages: replayed ones). */
  redrives: Array<{ queue: string; messages: number }>;
  settled: boolean;
  violations: string[];
  seconds: number;
  /** IAM (local/src/iam): calls AWS would deny (each one a violation), and the unused-grant report of the run. */
  iam?: { deniedCalls: Record<string, number>; unusedGrants: number; unexplainedUnusedGrants: number; reportFile: string };
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  const progress = options.onProgress ?? (() => {});
  const random = seededRandom(options.seed ?? 7);
  const cognitoDataDirectory = await mkdtemp(join(tmpdir(), 'soak-cognito-'));
  const log = await fileLog(options.logPath ?? join(LOCAL_CLOUD_DIRECTORY, 'logs', 'soak.log'));
  let cloud: LocalCloud | undefined;
  try {
    cloud = await startLocalCloudOnFreePorts({
      templatePath: join(REPOSITORY_ROOT, 'template.yaml'),
      cognitoDataDirectory,
      log,
      timeScale: options.timeScale ?? 0.02,
      faults: options.faults === undefined ? DEFAULT_SOAK_FAULTS : options.faults,
      functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'WARN', AWS_LAMBDA_LOG_LEVEL: 'WARN' },
    });
    progress(`local cloud up in ${Math.round((Date.now() - started) / 1000)} s; faults: ${cloud.faults?.describe() ?? 'none'}`);
    const report = await soak(cloud, options, random, started, deadline, progress);
    return { ...report, ...(await iamOutcome(cloud, report)) };
  } finally {
    await cloud?.stop();
    await log.close();
    await rm(cognitoDataDirectory, { recursive: true, force: true });
  }
}

/**
 * What IAM saw during the run: a call AWS would deny is a violation (the soak uses only what the
 * template grants); the grants the soak left unused go to .local-cloud/iam/soak-unused-grants.txt,
 * for reading beside the integration suite's report (the soak exercises fewer paths, so its
 * unused grants are not a failure).
 */
async function iamOutcome(cloud: LocalCloud, report: SoakReport): Promise<Pick<SoakReport, 'iam' | 'violations'>> {
  const { report: unused, file } = await writeLeastPrivilegeReport(
    { iam: cloud.iam, template: cloud.template.template, resolver: cloud.resolver },
    join(LOCAL_CLOUD_DIRECTORY, 'iam'),
    'soak',
  );
  const deniedCalls = Object.fromEntries(cloud.iam.denials);
  const denials = Object.entries(deniedCalls).map(([call, count]) => `IAM denied ${call} ${count} time(s) (see the soak log)`);
  return {
    violations: [...report.violations, ...denials],
    iam: { deniedCalls, unusedGrants: unused.explained.length + unused.unexplained.length, unexplainedUnusedGrants: unused.unexplained.length, reportFile: file },
  };
}

async function soak(cloud: LocalCloud, options: SoakOptions, random: Random, started: number, deadline: number, progress: (m: string) => void): Promise<SoakReport> {
  const violations: string[] = [];
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: cloud.dynamoDbEndpoint, region: cloud.region, credentials }));
  const sqs = new SQSClient({ endpoint: cloud.sqsEndpoint, region: cloud.region, credentials });
  const sfn = new SFNClient({ endpoint: cloud.sfnEndpoint, region: cloud.region, credentials });
  const replayClients: ReplayClients = {
    sqs,
    streams: new DynamoDBStreamsClient({ endpoint: cloud.dynamoDbEndpoint, region: cloud.region, credentials }),
    lambda: new LambdaClient({ endpoint: cloud.controlUrl, region: cloud.region, credentials }),
  };
  const tableName = (cloud.tables.find((table) => table.logicalId === 'OrdersTable') ?? cloud.tables[0])!.tableName;
  const stateMachineArn = cloud.stepFunctions.stateMachines.find((machine) => machine.logicalId === 'FulfilmentStateMachine')?.arn;
  if (stateMachineArn === undefined) throw new Error('The template has no FulfilmentStateMachine');
  const client = new ApiClient(cloud.apiUrl, deadline);

  try {
    const sign = (email: string) => idTokenFor(cloud.cognitoEndpoint, cloud.clientId, email, cloud.password, cloud.region);
    const admin = await sign(cloud.users.find((user) => user.groups.includes('admin'))!.email);
    const customers = await Promise.all(cloud.users.filter((user) => !user.groups.includes('admin')).map((user) => sign(user.email)));
    if (customers.length === 0) throw new Error('The seed has no customer');

    // Products with known stock: a few shared ones (contention: some orders run out of stock)
    // and one the "exceed" scenario asks more of than it has.
    const n = options.orders;
    const productCount = Math.max(2, Math.min(8, Math.ceil(n / 25)));
    const perProduct = Math.ceil((1.3 * n) / productCount);
    const initialStock = new Map<string, number>();
    const createProduct = async (stock: number) => {
      const created = await client.call('POST', '/products', admin, { name: `Soak ${randomUUID().slice(0, 8)}`, price: 1000 + Math.floor(random() * 5000) });
      if (created.status !== 201) throw new Error(`Creating a product failed: ${created.status} ${created.text}`);
      const set = await client.call('PUT', `/products/${created.json.productId}/stock`, admin, { stock });
      if (set.status !== 200) throw new Error(`Setting stock failed: ${set.status} ${set.text}`);
      initialStock.set(created.json.productId, stock);
      return created.json.productId as string;
    };
    const shared: string[] = [];
    for (let index = 0; index < productCount; index++) shared.push(await createProduct(perProduct));
    const scarce = await createProduct(2);
    // The late orders' own product, with stock for all of them: their outcome is not a stock race.
    const late = await createProduct(3 * n);
    const holding = cloud.faults !== undefined;
    if (holding) cloud.faults!.hold(LATE_HELD_BY, late);

    // Place the orders, then cancel or ship where the scenario says, with bounded concurrency.
    const plan = Array.from({ length: n }, () => {
      const drawn = pick(random);
      // Without a fault plan nothing holds messages: those orders are plain cancels and ships.
      const scenario: Scenario = holding ? drawn : drawn === 'late-cancel' ? 'cancel' : drawn === 'late-ship' ? 'ship' : drawn;
      const productId = scenario === 'exceed' ? scarce : isLate(scenario) ? late : shared[Math.floor(random() * shared.length)]!;
      const quantity = scenario === 'exceed' ? 3 : 1 + Math.floor(random() * 3);
      const customer = Math.floor(random() * customers.length);
      return { scenario, productId, quantity, customer };
    });
    const placed: PlacedOrder[] = [];
    let placementFailures = 0;
    const notActed = new Set<string>();
    await pool(plan, options.concurrency ?? 16, deadline, async (entry) => {
      const token = customers[entry.customer]!;
      const response = await client.call(
        'POST',
        '/orders',
        token,
        { items: [{ productId: entry.productId, quantity: entry.quantity }], shippingAddress: ADDRESS, paymentMethod: PAYMENT_METHOD[entry.scenario] },
        { 'Idempotency-Key': randomUUID() },
      );
      if (response.status !== 201) {
        placementFailures++;
        violations.push(`An order was not accepted (${entry.scenario}): ${response.status} ${response.text.slice(0, 200)}`);
        return;
      }
      const order: PlacedOrder = { orderId: response.json.orderId, scenario: entry.scenario, productId: entry.productId, quantity: entry.quantity, customer: String(entry.customer) };
      placed.push(order);
      if (order.scenario === 'cancel' || order.scenario === 'ship') await act(order, token);
    });
    progress(`${placed.length} orders placed (${placementFailures} refused) after ${seconds(started)} s`);

    async function act(order: PlacedOrder, token: string): Promise<void> {
      const ready = await until(Math.min(deadline, Date.now() + 60_000), async () => {
        const header = await orderHeader(order.orderId);
        if (header === undefined) return undefined;
        if (TERMINAL.has(header.status)) return 'ended';
        return header.status === 'CONFIRMED' && header.shipmentTaskToken !== undefined ? 'waiting' : undefined;
      });
      if (ready !== 'waiting') {
        // Not waiting for shipment within a minute (e.g. its OrderPlaced sat in a DLQ until the
        // redrive): the ship or cancel never happened, so CONFIRMED is its expected end.
        if (ready === undefined) notActed.add(order.orderId);
        return;
      }
      if (order.scenario === 'cancel') await client.call('POST', `/orders/${order.orderId}/cancel`, token);
      else await client.call('POST', `/admin/orders/${order.orderId}/ship`, admin, { trackingNumber: `SOAK-${order.orderId.slice(0, 8)}` });
    }

    async function orderHeader(orderId: string): Promise<Record<string, any> | undefined> {
      const items = await partition(orderId);
      return items.find((item) => item.SK === 'ORDER');
    }

    async function partition(orderId: string): Promise<Record<string, any>[]> {
      const items: Record<string, any>[] = [];
      let start: Record<string, any> | undefined;
      for (let page = 0; page < 50; page++) {
        const result = await documents.send(
          new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `ORDER#${orderId}` }, ExclusiveStartKey: start, ConsistentRead: true }),
        );
        items.push(...(result.Items ?? []));
        start = result.LastEvaluatedKey;
        if (start === undefined) break;
      }
      return items;
    }

    async function queueDepths(): Promise<Array<{ logicalId: string; url: string; arn: string; count: number; isDeadLetterQueue: boolean }>> {
      return Promise.all(
        cloud.queues.map(async (queue) => {
          const { Attributes = {} } = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: queue.url,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
            }),
          );
          const count = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
          return { logicalId: queue.logicalId, url: queue.url, arn: queue.arn, count, isDeadLetterQueue: queue.deadLetterFor.length > 0 };
        }),
      );
    }

    async function executions(): Promise<ExecutionListItem[]> {
      const all: ExecutionListItem[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < 100; page++) {
        const result = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }));
        all.push(...(result.executions ?? []));
        nextToken = result.nextToken;
        if (nextToken === undefined) break;
      }
      return all;
    }

    /**
     * Where the system stands: `calm` when every order ended or waits for shipment, no queue is
     * busy and no saga is moving (every status notified is checked afterwards); `signature`
     * changes whenever anything moves, so a system that stopped with work parked in a DLQ shows.
     */
    async function look(): Promise<{ calm: boolean; queuesIdle: boolean; deadLetters: number; signature: string }> {
      const depths = await queueDepths();
      const queuesIdle = depths.every((queue) => queue.isDeadLetterQueue || queue.count === 0);
      const deadLetters = depths.filter((queue) => queue.isDeadLetterQueue).reduce((sum, queue) => sum + queue.count, 0);
      const headers = await headersOf(placed.map((order) => order.orderId));
      // An order waits for shipment once the saga parked its token on it (the token stays after).
      const statuses = [...headers.values()].map((header) => (header.status === 'CONFIRMED' && header.shipmentTaskToken !== undefined ? 'WAITING' : (header.status as string)));
      const waiting = statuses.filter((status) => status === 'WAITING').length;
      const ordersCalm = statuses.every((status) => TERMINAL.has(status) || status === 'WAITING');
      const running = (await executions()).filter((execution) => execution.status === 'RUNNING').length;
      const counts: Record<string, number> = {};
      for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
      const signature = JSON.stringify({ depths: depths.map((queue) => queue.count), counts, running });
      return { calm: queuesIdle && ordersCalm && running === waiting && headers.size === placed.length, queuesIdle, deadLetters, signature };
    }

    async function headersOf(orderIds: string[]): Promise<Map<string, Record<string, any>>> {
      const found = new Map<string, Record<string, any>>();
      for (let index = 0; index < orderIds.length; index += 100) {
        let keys: Array<Record<string, string>> = orderIds.slice(index, index + 100).map((id) => ({ PK: `ORDER#${id}`, SK: 'ORDER' }));
        for (let round = 0; round < 10 && keys.length > 0; round++) {
          const result = await documents.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }));
          for (const item of result.Responses?.[tableName] ?? []) found.set(item.orderId as string, item);
          keys = (result.UnprocessedKeys?.[tableName]?.Keys as Array<Record<string, string>> | undefined) ?? [];
        }
      }
      return found;
    }

    /**
     * Calm for three looks in a row (the stream and pollers may be between hops), within the
     * given time. Also returns (not settled) once nothing has moved for 10 looks while the queues are
     * idle and a DLQ holds something: the rest waits for a redrive.
     */
    async function settle(label: string, until: number): Promise<boolean> {
      let calmLooks = 0;
      let stillLooks = 0;
      let lastSignature = '';
      for (let count = 0; count < 10_000 && Date.now() < until; count++) {
        const now = await look().catch(() => undefined);
        calmLooks = now?.calm ? calmLooks + 1 : 0;
        stillLooks = now !== undefined && now.signature === lastSignature ? stillLooks + 1 : 0;
        lastSignature = now?.signature ?? '';
        if (calmLooks >= 3) {
          progress(`${label}: settled after ${seconds(started)} s`);
          return true;
        }
        if (now !== undefined && now.queuesIdle && now.deadLetters > 0 && stillLooks >= 10) {
          progress(`${label}: stopped moving with ${now.deadLetters} message(s) in DLQs after ${seconds(started)} s`);
          return false;
        }
        await sleep(1000);
      }
      progress(`${label}: not settled before the deadline (${seconds(started)} s)`);
      return false;
    }

    // A quarter of the budget (at least 30 s) is kept for the redrive.
    const redriveReserve = Math.max(30_000, (deadline - started) / 4);
    let isSettled = await settle('with faults', deadline - redriveReserve);

    // The late orders: their OrderPlaced messages wait in FulfilmentDLQ; cancel or ship them now.
    const lateOrders = placed.filter((order) => isLate(order.scenario));
    const lateHeaders = await headersOf(lateOrders.map((order) => order.orderId));
    const startedSagas = new Set((await executions()).map((execution) => execution.name));
    await pool(lateOrders, 8, deadline, async (order) => {
      const id = `${order.orderId} (${order.scenario})`;
      const before = lateHeaders.get(order.orderId);
      if (before?.status !== 'PENDING' || startedSagas.has(order.orderId)) {
        violations.push(`Late order ${id} was not held: ${before?.status ?? 'missing'}, saga ${startedSagas.has(order.orderId) ? 'started' : 'not started'}`);
        return;
      }
      const token = customers[Number(order.customer)]!;
      if (order.scenario === 'late-cancel') {
        const response = await client.call('POST', `/orders/${order.orderId}/cancel`, token);
        const after = await orderHeader(order.orderId);
        if (after?.status !== 'CANCELLED') violations.push(`Cancelling held ${id} answered ${response.status} and left it ${after?.status}`);
      } else {
        const response = await client.call('POST', `/admin/orders/${order.orderId}/ship`, admin, { trackingNumber: `SOAK-${order.orderId.slice(0, 8)}` });
        const after = await orderHeader(order.orderId);
        if (response.status !== 409 || after?.status !== 'PENDING') violations.push(`Shipping held ${id} (PENDING) answered ${response.status} and left it ${after?.status}; want 409 and PENDING`);
      }
    });
    if (lateOrders.length > 0) progress(`${lateOrders.length} held orders cancelled or shipped before their redrive`);

    // Dead letters: faults off (the fix is in), redrive every queue DLQ back to its source, settle again.
    const redrives: SoakReport['redrives'] = [];
    const dead = (await queueDepths()).filter((queue) => queue.isDeadLetterQueue && queue.count > 0);
    if (dead.length > 0 || !isSettled) {
      cloud.faults?.disarm();
      for (const queue of dead) {
        const summary = cloud.queues.find((candidate) => candidate.logicalId === queue.logicalId)!;
        if (summary.deadLetterFor.some((source) => source.kind === 'on-failure')) {
          // A stream mapping's on-failure records: re-read the stream and publish (npm run replay).
          const replayed = await replayStreamFailures(replayClients, { queueUrl: summary.url });
          for (const kept of replayed.kept) violations.push(`${queue.logicalId}: could not replay ${kept.messageId} (${kept.reason}: ${kept.detail})`);
          redrives.push({ queue: queue.logicalId, messages: replayed.replayed.length });
          continue;
        }
        if (!summary.deadLetterFor.some((source) => source.kind === 'queue')) {
          violations.push(`${queue.logicalId} holds ${queue.count} record(s) that cannot be redriven (not a queue's DLQ): events may be lost`);
          continue;
        }
        await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queue.arn }));
        redrives.push({ queue: queue.logicalId, messages: queue.count });
      }
      progress(`faults off; redrove ${redrives.map((r) => `${r.messages} from ${r.queue}`).join(', ') || 'nothing'}`);
      isSettled = await settle('after redrive', deadline);
    }
    if (!isSettled) violations.push('The system did not settle before the deadline (see the stuck orders below)');

    // ---- the invariants, read from the table -------------------------------------------------
    const outcomes: SoakReport['outcomes'] = {};
    const reservedByProduct = new Map<string, number>();
    const shippedByProduct = new Map<string, number>();
    const executionCounts = new Map<string, number>();
    const allExecutions = await executions();
    for (const execution of allExecutions) executionCounts.set(execution.name ?? '', (executionCounts.get(execution.name ?? '') ?? 0) + 1);
    const deadNow = (await queueDepths()).filter((queue) => queue.isDeadLetterQueue && queue.count > 0);
    for (const queue of deadNow) violations.push(`${queue.logicalId} still holds ${queue.count} message(s) after the redrive`);

    await pool(placed, 16, Number.POSITIVE_INFINITY, async (order) => {
      const items = await partition(order.orderId);
      const header = items.find((item) => item.SK === 'ORDER');
      const id = `${order.orderId} (${order.scenario})`;
      if (header === undefined) {
        violations.push(`Lost order: ${id} was accepted (201) but is not in the table`);
        return;
      }
      const status = header.status as string;
      const faulted = (cloud.faults?.tally.faultsOn(order.orderId) ?? 0) > 0;
      const expected =
        (EXPECTED[order.scenario].includes(status) && (status !== 'REJECTED' || order.scenario === 'exceed' || /stock/i.test(String(header.statusReason ?? '')))) ||
        (status === 'CONFIRMED' && notActed.has(order.orderId));
      const label = expected ? status : faulted ? `${status}*` : `${status}!`;
      (outcomes[order.scenario] ??= {})[label] = ((outcomes[order.scenario] ??= {})[label] ?? 0) + 1;
      if (!expected && !faulted) violations.push(`Unexpected outcome: ${id} ended ${status} (${header.statusReason ?? 'no reason'}) and no fault touched it`);
      // A late order's saga runs after the faults are off: nothing excuses another outcome.
      if (!expected && faulted && isLate(order.scenario)) violations.push(`Unexpected outcome: ${id} ended ${status} (${header.statusReason ?? 'no reason'}) after its late redrive`);
      if (!TERMINAL.has(status) && !(status === 'CONFIRMED' && header.shipmentTaskToken !== undefined)) violations.push(`Stuck order: ${id} is ${status}`);

      // Stock: the reservation record says where the order's units are.
      const reservation = items.find((item) => item.SK === 'RESERVATION');
      const reservationWanted: Record<string, string[]> = {
        CONFIRMED: ['RESERVED'],
        SHIPPED: ['SHIPPED'],
        CANCELLED: ['RELEASED', 'none'],
        PAYMENT_FAILED: ['RELEASED'],
        REJECTED: ['RELEASED', 'none'],
      };
      const reservationStatus = (reservation?.status as string | undefined) ?? 'none';
      if (reservationWanted[status] !== undefined && !reservationWanted[status]!.includes(reservationStatus)) {
        violations.push(`Stock leak: ${id} is ${status} but its reservation is ${reservationStatus}`);
      }
      for (const line of (reservation?.lines ?? []) as Array<{ productId: string; quantity: number }>) {
        if (reservationStatus === 'RESERVED') reservedByProduct.set(line.productId, (reservedByProduct.get(line.productId) ?? 0) + line.quantity);
        if (reservationStatus === 'SHIPPED') shippedByProduct.set(line.productId, (shippedByProduct.get(line.productId) ?? 0) + line.quantity);
      }

      // Money: the provider's ledger (one item per idempotency key) against the order's payment record and status.
      const payment = items.find((item) => item.SK === 'PAYMENT');
      const ledger = await documents.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `SIMULATED_PAYMENT#${order.orderId}` }, ConsistentRead: true }));
      const charges = (ledger.Items ?? []).filter((item) => typeof item.chargeId === 'string');
      if (charges.length > 1) violations.push(`Charged twice: ${id} has ${charges.length} charges`);
      if (order.scenario === 'late-cancel' && charges.length > 0) violations.push(`Charged after cancelling: ${id} was cancelled before its saga started, yet charged`);
      const charge = charges[0];
      const keptMoney = charge !== undefined && charge.refunded !== true;
      if (KEPT_MONEY.has(status) && !keptMoney) violations.push(`Unpaid: ${id} is ${status} but ${charge === undefined ? 'was never charged' : 'was refunded'}`);
      if (!KEPT_MONEY.has(status) && keptMoney) violations.push(`Money kept: ${id} is ${status} but its charge ${charge!.chargeId} was not refunded`);
      if (charge !== undefined && payment !== undefined && (payment.status === 'REFUNDED') !== (charge.refunded === true)) {
        violations.push(`Payment record and ledger disagree for ${id}: record ${payment.status}, ledger refunded=${charge.refunded === true}`);
      }
      if (charge !== undefined && charge.amount !== header.total) violations.push(`Wrong amount for ${id}: charged ${charge.amount}, order total ${header.total}`);

      // Notifications: exactly one per (event type, status); one for placing and one for the status now.
      const notifications = items.filter((item) => String(item.SK).startsWith('NOTIFICATION#'));
      const seen = new Map<string, number>();
      for (const notification of notifications) seen.set(`${notification.eventType}/${notification.status}`, (seen.get(`${notification.eventType}/${notification.status}`) ?? 0) + 1);
      for (const [key, count] of seen) if (count > 1) violations.push(`Duplicate notification: ${id} got ${count} × ${key}`);
      const statuses = new Set(notifications.map((notification) => notification.status as string));
      for (const wanted of ['PENDING', status]) {
        if (NOTIFIED.has(wanted) && !statuses.has(wanted)) violations.push(`Lost notification: ${id} was never notified of ${wanted}`);
      }

      const runs = executionCounts.get(order.orderId) ?? 0;
      if (runs !== 1) violations.push(`${id} has ${runs} fulfilment executions (want exactly 1)`);
    });

    // Doubled or unacknowledged orders: the fresh cloud holds only this run's orders, so the
    // customers' orders (GSI1) must be exactly the accepted ones.
    const acceptedIds = new Set(placed.map((order) => order.orderId));
    for (const token of new Set(customers)) {
      const sub = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string }).sub;
      let start: Record<string, any> | undefined;
      for (let page = 0; page < 1000; page++) {
        const result = await documents.send(
          new QueryCommand({ TableName: tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': `CUSTOMER#${sub}` }, ExclusiveStartKey: start }),
        );
        for (const item of result.Items ?? []) {
          if (typeof item.orderId === 'string' && !acceptedIds.has(item.orderId)) violations.push(`Order ${item.orderId} exists but was never acknowledged with a 201 (doubled by a retry?)`);
        }
        start = result.LastEvaluatedKey;
        if (start === undefined) break;
      }
    }

    for (const [productId, initial] of initialStock) {
      // The product's units are in its stock counters (docs/data-model.md): none may go negative, and their sums must add up.
      const { Responses } = await documents.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: stockCounterKeys(productId), ConsistentRead: true } } }));
      let [stock, reserved, shipped] = [0, 0, 0];
      for (const counter of Responses?.[tableName] ?? []) {
        const units = [Number(counter.stock ?? 0), Number(counter.reserved ?? 0), Number(counter.shipped ?? 0)] as const;
        if (units.some((value) => value < 0)) violations.push(`Oversold: counter ${String(counter.PK)} has stock ${units[0]}, reserved ${units[1]}, shipped ${units[2]}`);
        [stock, reserved, shipped] = [stock + units[0], reserved + units[1], shipped + units[2]];
      }
      if (stock < 0 || reserved < 0 || shipped < 0) violations.push(`Oversold: product ${productId} has stock ${stock}, reserved ${reserved}, shipped ${shipped}`);
      if (stock + reserved + shipped !== initial) violations.push(`Stock does not add up for ${productId}: ${stock} + ${reserved} + ${shipped} ≠ ${initial}`);
      if (reserved !== (reservedByProduct.get(productId) ?? 0)) violations.push(`Reserved ${reserved} of ${productId}, but orders hold ${reservedByProduct.get(productId) ?? 0}`);
      if (shipped !== (shippedByProduct.get(productId) ?? 0)) violations.push(`Shipped ${shipped} of ${productId}, but orders shipped ${shippedByProduct.get(productId) ?? 0}`);
    }

    const batches = cloud.journal.list();
    return {
      ordersRequested: n,
      ordersPlaced: placed.length,
      placementFailures,
      outcomes,
      faults: cloud.faults?.snapshot() ?? { injected: {}, total: 0, ordersTouched: 0 },
      retries: {
        apiRetries: client.retries,
        failedEventSourceBatches: batches.filter((batch) => batch.outcome !== 'success').length,
        executionsFailed: allExecutions.filter((execution) => execution.status === 'FAILED').length,
      },
      redrives,
      settled: isSettled,
      violations,
      seconds: seconds(started),
    };
  } finally {
    documents.destroy();
    sqs.destroy();
    sfn.destroy();
    replayClients.streams.destroy();
    replayClients.lambda.destroy();
  }
}

/** The API over HTTP; a 5XX (a fault, a throttle) is retried a few times with the same request. */
class ApiClient {
  retries = 0;
  constructor(
    private readonly baseUrl: string,
    private readonly deadline: number,
  ) {}

  async call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; text: string }> {
    let last = { status: 0, json: undefined as any, text: '' };
    for (let attempt = 1; attempt <= 6 && Date.now() < this.deadline; attempt++) {
      if (attempt > 1) {
        this.retries++;
        await sleep(100 * 2 ** attempt);
      }
      try {
        const response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: { Authorization: token, ...headers, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(35_000),
        });
        const text = await response.text();
        last = { status: response.status, json: text === '' ? undefined : safeJson(text), text };
        if (response.status < 500) return last;
      } catch (error) {
        last = { status: 0, json: undefined, text: String(error) };
      }
    }
    return last;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isLate = (scenario: Scenario) => scenario === 'late-cancel' || scenario === 'late-ship';

function pick(random: Random): Scenario {
  const total = SCENARIO_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random() * total;
  for (const [scenario, weight] of SCENARIO_WEIGHTS) {
    if (draw < weight) return scenario;
    draw -= weight;
  }
  return 'card';
}

/** Runs `work` over `items` with at most `limit` at a time; stops taking new items at the deadline. */
async function pool<T>(items: readonly T[], limit: number, deadline: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && Date.now() < deadline) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function until<T>(deadline: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let look = 0; look < 10_000 && Date.now() < deadline; look++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(250);
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since: number) => Math.round((Date.now() - since) / 1000);

/** The tally as text: scenario × outcome, faults, retries, redrives, violations. */
export function formatReport(report: SoakReport): string {
  const statuses = [...new Set(Object.values(report.outcomes).flatMap((row) => Object.keys(row)))].sort();
  const lines = [
    `Soak: ${report.ordersPlaced}/${report.ordersRequested} orders placed in ${report.seconds} s, settled: ${report.settled}`,
    '',
    ['scenario'.padEnd(10), ...statuses.map((status) => status.padStart(16)), 'total'.padStart(7)].join(''),
    ...Object.entries(report.outcomes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([scenario, row]) =>
        [scenario.padEnd(10), ...statuses.map((status) => String(row[status] ?? '').padStart(16)), String(Object.values(row).reduce((a, b) => a + b, 0)).padStart(7)].join(''),
      ),
    '(* outside the scenario\'s expectation, explained by a fault injected on that order; ! unexplained)',
    '',
    `Faults injected: ${report.faults.total} (orders touched: ${report.faults.ordersTouched})`,
    ...Object.entries(report.faults.injected).map(([kind, count]) => `  ${kind}: ${count}`),
    `Retries seen: API ${report.retries.apiRetries}, event source batches with failures ${report.retries.failedEventSourceBatches}, failed executions ${report.retries.executionsFailed}`,
    `DLQ redrives: ${report.redrives.map((r) => `${r.queue} ${r.messages}`).join(', ') || 'none'}`,
    ...(report.iam === undefined
      ? []
      : [`IAM: ${Object.values(report.iam.deniedCalls).reduce((a, b) => a + b, 0)} calls denied; ${report.iam.unusedGrants} grants unused by this run (${report.iam.unexplainedUnusedGrants} without a recorded reason): ${report.iam.reportFile}`]),
    '',
    report.violations.length === 0 ? 'Violations: none' : `Violations: ${report.violations.length}`,
    ...report.violations.slice(0, 50).map((violation) => `  - ${violation}`),
    ...(report.violations.length > 50 ? [`  … and ${report.violations.length - 50} more`] : []),
  ];
  return lines.join('\n');
}
