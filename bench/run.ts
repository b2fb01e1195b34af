/**
 * `npm run bench`: one run, on its own local cloud, of everything docs/performance.md explains.
 *
 *   npm run bench -- [--requests 100] [--levels 1,4,16] [--journeys 20] [--samples 6]
 *                    [--time-scale 0.02] [--no-module-load] [--only load] [--help]
 *
 * 1. Raw DynamoDB Local: TransactWriteItems (order header + 1 line) and Query (one order's
 *    partition) at each concurrency level, on a copy of the orders table's keys and indexes.
 * 2. Order journeys, one at a time: POST /orders → CONFIRMED (timed, and broken into hops by
 *    bench/hops.ts) → ship → saga done, with every Lambda invocation, AWS SDK call (DynamoDB with
 *    consumed capacity), SNS publish, SQS message, state transition, Express execution and log
 *    byte counted.
 * 3. API latency and throughput: POST /orders and GET /orders/{id} at each concurrency level,
 *    with the DynamoDB calls each request made; each level twice, with the orders' background
 *    work running and with the event source mappings paused.
 * 3b. Issue 13's API overhead: concurrency 1, event sources paused, the raw baselines (the
 *    transaction, PlaceOrder's two DynamoDB calls, the Query) interleaved with the API requests,
 *    CPU per request and where each request's time goes (bench/api-overhead.ts).
 * 4. After the cloud stops: bundle sizes and cold module load of every `sam build` function
 *    against a baseline that only imports DynamoDBDocumentClient, checked against the budgets in
 *    bench/budgets.json (the run exits 1 when a function is over), and where the layer's load
 *    goes (bench/layer-breakdown.ts). `--only load` runs this section alone (no local cloud);
 *    its report is written beside the others but does not replace latest.json.
 * 5. The cost of 1,000 orders at published prices (bench/cost.ts), from the journey counts.
 *
 * Prints tables and writes bench/results/<timestamp>.json and bench/results/latest.json.
 * Only 127.0.0.1 is contacted; every loop is bounded in count and in time.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchGetItemCommand, CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { startLocalCloudOnFreePorts } from '#local/cloud/local-cloud.ts';
import { fileLog } from '#local/cloud/local-cloud-log.ts';
import { sdkMetricsMiddleware, type SdkCall } from '#local/lambda/sdk-metrics.ts';
import { idTokenFor } from '#local/seed/sign-in.ts';
import { BUILD_DIR, buildIsStale, builtArtifacts, measureModuleLoad, moduleLoadOverBudget, ROOT } from './built-functions.ts';
import { type LayerBreakdown, measureLayerBreakdown } from './layer-breakdown.ts';
import { costOf, expressGbSeconds, gbSeconds, PRICES, type UsagePerOrder } from './cost.ts';
import { blockSizes, type CpuSample, cpuPerRequest, type RequestTrace, summarizeRequestHops } from './api-overhead.ts';
import { type Hop, journeyHops, type TracedExecution, type TracedInvocation, summarizeHops } from './hops.ts';
import { bump, difference, type LatencySummary, percentile, runLoad, summarize } from './stats.ts';
import { PartitionLedger } from './partition-ledger.ts';
import type { KeySchema } from './partitions.ts';
import { type Binding, cacheMissRatio, checkScaleBaseline, DEFAULT_QUOTAS, type JourneyProfile, profileAccesses, project, withReadCache } from './scale.ts';
import { CATALOG_CACHE, HOT_SHARES, PEAK_MIX, SCALE_JOURNEYS, SHIPPED_ORDER, SHOWS_THE_BEST_SELLER, type ScaleJourneyContext } from './scale-journeys.ts';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '100' },
    levels: { type: 'string', default: '1,4,16' },
    journeys: { type: 'string', default: '20' },
    samples: { type: 'string', default: '6' },
    'time-scale': { type: 'string', default: '0.02' },
    'no-module-load': { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  // The usage and the sections, as this file's opening comment gives them.
  const opening = /^\/\*\*\n([\s\S]*?)\n \*\//.exec(readFileSync(new URL(import.meta.url), 'utf8'))?.[1] ?? '';
  console.log(opening.replace(/^ \* ?/gm, ''));
  process.exit(0);
}
const REQUESTS = Number(args.requests);
const LEVELS = args.levels.split(',').map(Number);
const JOURNEYS = Number(args.journeys);
const SAMPLES = Number(args.samples);
const TIME_SCALE = Number(args['time-scale']);
if (args.only !== undefined && args.only !== 'load') throw new Error(`--only ${args.only}: the one section that runs alone is 'load'`);
const ONLY_LOAD = args.only === 'load';
const REQUEST_TIMEOUT_MS = 30_000;
const PHASE_DEADLINE_MS = 180_000;

const READ_COMMANDS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const SFN_DIRECT = 'StepFunctions (direct integrations)';

// ---- counters fed by the local cloud's hooks --------------------------------------------------------

/** Counters keyed by `<function>` or `<function> <service> <command>`. */
const counters = {
  invocations: {} as Record<string, number>,
  gbSeconds: {} as Record<string, number>,
  sdkCalls: {} as Record<string, number>,
  readUnits: {} as Record<string, number>,
  writeUnits: {} as Record<string, number>,
  /** Bytes of the functions' own log lines (what CloudWatch Logs would ingest from them). */
  logBytes: {} as Record<string, number>,
  lambdaSeconds: {} as Record<string, number>,
  apiRequests: {} as Record<string, number>,
};
/** Set once the table is known: every DynamoDB partition touched (bench/scale.ts). */
let partitionLedger: PartitionLedger | undefined;
const memoryMb = new Map<string, number>();

/** The SDK time and calls of each function's invocation under way (section 3b reads them at its end). */
const sdkTime: Record<string, { ms: number; calls: number }> = {};
/** While set, every invocation with its timing (section 3b: one per API request). */
let requestTraces: Array<Omit<RequestTrace, 'clientMs'> & { functionLogicalId: string }> | undefined;

function recordSdkCall(source: string, call: SdkCall): void {
  partitionLedger?.record(call);
  const time = (sdkTime[source] ??= { ms: 0, calls: 0 });
  time.ms += call.durationMs;
  time.calls += 1;
  bump(counters.sdkCalls, `${source} ${call.service} ${call.command}${call.failed ? ' (failed)' : ''}`);
  if (call.service === 'DynamoDB' && call.capacityUnits !== undefined) {
    bump(READ_COMMANDS.has(call.command) ? counters.readUnits : counters.writeUnits, source, call.capacityUnits);
  }
}

const snapshot = () => structuredClone(counters);
type Snapshot = ReturnType<typeof snapshot>;
const since = (before: Snapshot) => ({
  invocations: difference(counters.invocations, before.invocations),
  gbSeconds: difference(counters.gbSeconds, before.gbSeconds),
  sdkCalls: difference(counters.sdkCalls, before.sdkCalls),
  readUnits: difference(counters.readUnits, before.readUnits),
  writeUnits: difference(counters.writeUnits, before.writeUnits),
  logBytes: difference(counters.logBytes, before.logBytes),
  lambdaSeconds: difference(counters.lambdaSeconds, before.lambdaSeconds),
  apiRequests: difference(counters.apiRequests, before.apiRequests),
});
const sum = (record: Record<string, number>, filter: (key: string) => boolean = () => true) =>
  Object.entries(record).reduce((total, [key, value]) => (filter(key) ? total + value : total), 0);

/**
 * CloudWatch Logs bytes the local cloud does not write itself, per unit (estimates, see
 * docs/performance.md): Lambda's platform records per invocation (platform.start and
 * platform.report in the JSON log format, with the X-Ray trace id), and one access log line per
 * API request in the stage's AccessLogSetting format, filled in.
 */
const LAMBDA_PLATFORM_LOG_BYTES_PER_INVOCATION = 550;
const API_ACCESS_LOG_BYTES_PER_REQUEST = 650;

/** Every invocation, with its timing and event, while the journeys run (for the per-hop breakdown). */
const traced: TracedInvocation[] = [];
let tracing = false;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Invocations asked for and not answered yet (set once the cloud runs). */
let inFlight: () => number = () => 0;

/**
 * Waits until no function has run for `quietMs` (bounded by `maxMs`): none in flight and none
 * finished meanwhile, so the background work of earlier requests is done. Counting finished
 * invocations alone is not enough: a cold start (a saga step's new environment when several
 * orders' sagas run at once) can take longer than `quietMs` on a busy machine, and the paused
 * measurement then ran beside it (docs/performance.md, "the paused POST anomaly").
 */
async function settle(quietMs = 1500, maxMs = 60_000): Promise<void> {
  const started = Date.now();
  let last = sum(counters.invocations);
  let quietSince = Date.now();
  while (Date.now() - started < maxMs) {
    await sleep(100);
    const now = sum(counters.invocations);
    if (now !== last || inFlight() > 0) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) return;
  }
}

// ---- the run ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = new Date();
  if (buildIsStale()) {
    console.log('sam build (the build is missing or older than the sources) …');
    const sam = path.join(ROOT, '.venv/bin/sam');
    const result = spawnSync(sam, ['build'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, SAM_CLI_TELEMETRY: '0', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    });
    if (result.error !== undefined) {
      // `npm run bench` installs the tools first (prebench); this is for running bench/run.ts directly.
      console.error(`Cannot run ${path.relative(ROOT, sam)} (${result.error.message}): run \`bash scripts/python-tools.sh\` first.`);
      process.exit(1);
    }
    if (result.status !== 0) throw new Error(`sam build failed:\n${result.stdout}\n${result.stderr}`);
  }

  if (ONLY_LOAD) {
    await finish(startedAt, { builtFunctions: await builtFunctions() }, false);
    return;
  }

  // A fault plan in the environment would make the numbers meaningless.
  delete process.env.LOCAL_FAULTS;
  const cognitoDataDirectory = mkdtempSync(path.join(tmpdir(), 'bench-cognito-'));
  const logPath = path.join(ROOT, '.local-cloud/logs/bench.log');
  const log = await fileLog(logPath);
  console.log(`Starting the local cloud (log: ${path.relative(ROOT, logPath)}) …`);
  const cloud = await startLocalCloudOnFreePorts({
    templatePath: path.join(ROOT, 'template.yaml'),
    cognitoDataDirectory,
    log,
    timeScale: TIME_SCALE,
    // The template's own log level (INFO), so the log bytes per order are what AWS would ingest.
    onInvocation: (functionLogicalId, outcome, timing) => {
      if (tracing) {
        traced.push({ functionLogicalId, startedAt: timing.startedAt, endedAt: timing.endedAt, durationMs: outcome.durationMs, event: JSON.stringify(timing.event) });
      }
      const sdk = sdkTime[functionLogicalId] ?? { ms: 0, calls: 0 };
      delete sdkTime[functionLogicalId];
      requestTraces?.push({ functionLogicalId, invokeMs: timing.endedAt - timing.startedAt, environmentMs: outcome.durationMs, sdkMs: sdk.ms, sdkCalls: sdk.calls });
      bump(counters.invocations, functionLogicalId);
      bump(counters.gbSeconds, functionLogicalId, gbSeconds(outcome.durationMs, memoryMb.get(functionLogicalId) ?? 128));
      bump(counters.lambdaSeconds, functionLogicalId, outcome.durationMs / 1000);
    },
    onSdkCall: recordSdkCall,
  });
  for (const fn of cloud.lambda.functions) memoryMb.set(fn.logicalId, fn.memorySizeMb);
  inFlight = () => cloud.lambda.inFlight;
  cloud.lambda.addLogListener((line) => bump(counters.logBytes, line.functionLogicalId, Buffer.byteLength(line.line) + 1));
  // The Step Functions service's own DynamoDB client (direct `dynamodb:` tasks): a private field,
  // reached here only to add the same counting middleware the Lambda workers get.
  const sfnDynamoDb = (cloud.stepFunctions.service as unknown as { options: { dynamoDb: DynamoDBClient } }).options.dynamoDb;
  sfnDynamoDb.middlewareStack.add(sdkMetricsMiddleware('DynamoDB', (call) => recordSdkCall(SFN_DIRECT, call)) as never, {
    step: 'initialize',
    name: 'benchSdkMetrics',
  });

  const results: Record<string, unknown> = {};
  const client = new DynamoDBClient({ region: cloud.region, endpoint: cloud.dynamoDbEndpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    const ordersTable = cloud.tables.find((table) => table.logicalId === 'OrdersTable') ?? cloud.tables[0];
    if (ordersTable === undefined) throw new Error('The template has no table');
    const customer = cloud.users.find((user) => !user.groups.includes('admin'));
    const admin = cloud.users.find((user) => user.groups.includes('admin'));
    const product = cloud.products[0];
    if (customer === undefined || admin === undefined || product === undefined) throw new Error('The local cloud was not seeded');
    const customerToken = await idTokenFor(cloud.cognitoEndpoint, cloud.clientId, customer.email, cloud.password, cloud.region);
    const adminToken = await idTokenFor(cloud.cognitoEndpoint, cloud.clientId, admin.email, cloud.password, cloud.region);

    const call = async (method: string, route: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
      bump(counters.apiRequests, `${method} ${route.split('?')[0]}`);
      const response = await fetch(`${cloud.apiUrl}${route}`, {
        method,
        headers: { ...(token !== '' && { authorization: token }), 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const orderBody = {
      items: [{ productId: product.productId, quantity: 1 }],
      shippingAddress: { name: 'Bench Customer', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
      paymentMethod: 'tok_visa',
    };
    const placeOrder = async () => {
      const order = await call('POST', '/orders', customerToken, orderBody, { 'idempotency-key': randomUUID() });
      return String(order.orderId);
    };
    // Enough stock for every order of the run, so none is rejected.
    await call('PUT', `/products/${product.productId}/stock`, adminToken, { stock: 1_000_000 });
    await settle();

    // ---- 1. raw DynamoDB Local ---------------------------------------------------------------------
    console.log('Raw DynamoDB Local …');
    const description = await client.send(new DescribeTableCommand({ TableName: ordersTable.tableName }));
    const table = description.Table;
    const rawTable = `bench-raw-${Date.now()}`;
    await client.send(
      new CreateTableCommand({
        TableName: rawTable,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: table?.KeySchema,
        AttributeDefinitions: table?.AttributeDefinitions,
        GlobalSecondaryIndexes: table?.GlobalSecondaryIndexes?.map((index) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection })),
        // The same stream as the orders table (no mapping reads it): DynamoDB Local writes each
        // change to it, which a write to the orders table pays for too.
        ...(table?.StreamSpecification !== undefined && { StreamSpecification: table.StreamSpecification }),
      }),
    );
    const rawIds: string[] = [];
    const rawCapacity = { transactWrite: [] as number[], query: [] as number[] };
    const rawWrite = async () => {
      const id = randomUUID();
      const at = new Date().toISOString();
      const header = {
        PK: { S: `ORDER#${id}` }, SK: { S: 'ORDER' }, type: { S: 'Order' }, GSI1PK: { S: 'CUSTOMER#bench' }, GSI1SK: { S: `ORDER#${at}#${id}` },
        GSI2PK: { S: 'STATUS#PENDING' }, GSI2SK: { S: `${at}#${id}` }, orderId: { S: id }, customerId: { S: 'bench' }, status: { S: 'PENDING' },
        total: { N: '2490' }, currency: { S: 'USD' }, createdAt: { S: at }, updatedAt: { S: at },
        shippingAddress: { M: { name: { S: 'Bench Customer' }, line1: { S: '1 Main St' }, city: { S: 'Springfield' }, postalCode: { S: '12345' }, country: { S: 'US' } } },
      };
      const line = { PK: { S: `ORDER#${id}` }, SK: { S: 'ORDER#LINE#000' }, type: { S: 'OrderLine' }, productId: { S: product.productId }, name: { S: product.name }, quantity: { N: '1' }, unitPrice: { N: '2490' } };
      const output = await client.send(
        new TransactWriteItemsCommand({
          ReturnConsumedCapacity: 'TOTAL',
          TransactItems: [header, line].map((Item) => ({ Put: { TableName: rawTable, Item, ConditionExpression: 'attribute_not_exists(PK)' } })),
        }),
      );
      rawCapacity.transactWrite.push(sum(Object.fromEntries((output.ConsumedCapacity ?? []).map((entry, i) => [i, entry.CapacityUnits ?? 0]))));
      rawIds.push(id);
    };
    const rawQuery = async (index: number) => {
      const id = rawIds[index % rawIds.length];
      const output = await client.send(
        new QueryCommand({
          TableName: rawTable,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
          ExpressionAttributeValues: { ':pk': { S: `ORDER#${id}` }, ':sk': { S: 'ORDER' } },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      rawCapacity.query.push(output.ConsumedCapacity?.CapacityUnits ?? 0);
      return output.Items;
    };
    const raw: Record<string, Record<number, LatencySummary>> = { transactWrite: {}, query: {} };
    await runLoad(20, 4, rawWrite, PHASE_DEADLINE_MS); // warm-up: the JVM's JIT, not measured
    for (const level of LEVELS) {
      raw.transactWrite![level] = strip(await runLoad(REQUESTS, level, rawWrite, PHASE_DEADLINE_MS));
      raw.query![level] = strip(await runLoad(REQUESTS, level, rawQuery, PHASE_DEADLINE_MS));
    }
    results.rawDynamoDb = { ...raw, capacityUnitsPerCall: { transactWrite: percentile(rawCapacity.transactWrite, 50), query: percentile(rawCapacity.query, 50) } };

    // ---- 2. order journeys -------------------------------------------------------------------------
    console.log(`${JOURNEYS} order journeys (time scale ${TIME_SCALE}) …`);
    await settle();
    partitionLedger = await ledgerFor(client, ordersTable.tableName, cloud.dynamoDbEndpoint, cloud.region);
    await partitionLedger.mark();
    const journeyBefore = snapshot();
    const journeyFrom = Date.now();
    const journalBefore = cloud.journal.list().at(-1)?.sequence ?? 0;
    const toConfirmed: number[] = [];
    const journeyOrders: string[] = [];
    const journeyTimes: Array<{ orderId: string; postSentAt: number; postAnsweredAt: number; confirmedSeenAt: number }> = [];
    tracing = true;
    const orderItem = async (orderId: string) =>
      (await client.send(new GetItemCommand({ TableName: ordersTable.tableName, Key: { PK: { S: `ORDER#${orderId}` }, SK: { S: 'ORDER' } }, ConsistentRead: true }))).Item;
    const waitFor = async (what: string, check: () => Promise<boolean>, maxMs = 30_000) => {
      const started = Date.now();
      while (Date.now() - started < maxMs) {
        if (await check()) return;
        await sleep(20);
      }
      throw new Error(`Timed out after ${maxMs} ms waiting for ${what}`);
    };
    // The saga's machine: the one StartFulfilmentFunction starts (its FULFILMENT_STATE_MACHINE_ARN).
    const machines = cloud.stepFunctions.stateMachines;
    const machine = machines.find((candidate) => candidate.logicalId === 'FulfilmentStateMachine') ?? machines[0];
    for (let i = 0; i < JOURNEYS; i += 1) {
      const started = performance.now();
      const postSentAt = Date.now();
      const orderId = await placeOrder();
      const postAnsweredAt = Date.now();
      await waitFor(`order ${orderId} to be CONFIRMED`, async () => {
        const status = (await orderItem(orderId))?.status?.S;
        if (status !== undefined && !['PENDING', 'CONFIRMED'].includes(status)) throw new Error(`Order ${orderId} ended ${status}`);
        return status === 'CONFIRMED';
      });
      toConfirmed.push(performance.now() - started);
      journeyTimes.push({ orderId, postSentAt, postAnsweredAt, confirmedSeenAt: Date.now() });
      journeyOrders.push(orderId);
      await waitFor(`order ${orderId} to await shipment`, async () => (await orderItem(orderId))?.shipmentTaskToken !== undefined);
      await call('POST', `/admin/orders/${orderId}/ship`, adminToken, { trackingNumber: `BENCH-${i}` });
      if (machine !== undefined) {
        await waitFor(`the saga of ${orderId} to finish`, async () =>
          cloud.stepFunctions.service.listExecutions({ stateMachineArn: machine.arn }).some((execution) => execution.name === orderId && execution.status !== 'RUNNING'),
        );
      }
    }
    await settle(2000);
    tracing = false;
    const journeyTo = Date.now();
    const journey = since(journeyBefore);
    const batches = cloud.journal.list({ after: journalBefore }).filter((batch) => batch.source === 'sqs');
    const sqsMessages = batches.reduce((total, batch) => total + batch.itemIds.length, 0);
    // Each journey order's executions, on every state machine (the saga, and the child it starts),
    // found by the order id in their input: Standard ones bill state transitions, Express ones
    // requests and duration.
    const sfn = cloud.stepFunctions.service;
    let transitions = 0;
    let expressRequests = 0;
    let expressBilledGbSeconds = 0;
    const executionsOf = new Map<string, TracedExecution[]>(journeyOrders.map((orderId) => [orderId, []]));
    for (const candidate of machines) {
      const type = sfn.describeStateMachine(candidate.arn).type;
      for (const item of sfn.listExecutions({ stateMachineArn: candidate.arn })) {
        const execution = sfn.describeExecution(item.executionArn);
        const orderId = journeyOrders.find((id) => execution.input.includes(id));
        if (orderId === undefined) continue;
        const history = sfn.getExecutionHistory({ executionArn: item.executionArn });
        executionsOf.get(orderId)!.push({ startedAt: execution.startDate.getTime(), history });
        if (type === 'EXPRESS') {
          expressRequests += 1;
          expressBilledGbSeconds += expressGbSeconds((execution.stopDate ?? new Date()).getTime() - execution.startDate.getTime());
        } else {
          transitions += history.filter((event) => event.type.endsWith('StateEntered')).length;
        }
      }
    }
    const hops = journeyTimes
      .map((times) => journeyHops({ ...times, invocations: traced, executions: executionsOf.get(times.orderId) ?? [] }))
      .filter((journeyHop): journeyHop is Hop[] => journeyHop !== undefined);
    const lambdaInvocations = sum(journey.invocations);
    const perOrder = (value: number) => value / JOURNEYS;
    const usage: UsagePerOrder = {
      apiRequests: 2,
      lambdaRequests: perOrder(lambdaInvocations),
      lambdaGbSeconds: perOrder(sum(journey.gbSeconds)),
      readRequestUnits: perOrder(sum(journey.readUnits)),
      writeRequestUnits: perOrder(sum(journey.writeUnits)),
      stateTransitions: perOrder(transitions),
      expressRequests: perOrder(expressRequests),
      expressGbSeconds: perOrder(expressBilledGbSeconds),
      snsPublishes: perOrder(sum(journey.sdkCalls, (key) => / SNS Publish/.test(key))),
      // SNS → SQS delivery (one SendMessage each), then the poller's ReceiveMessage and DeleteMessageBatch per batch.
      sqsRequests: perOrder(sqsMessages + 2 * batches.length),
      // The functions' own lines (counted), Lambda's platform records and the API access log
      // (estimated per invocation and request); the state machines log only failures (Level: ERROR).
      logBytes: perOrder(sum(journey.logBytes) + LAMBDA_PLATFORM_LOG_BYTES_PER_INVOCATION * lambdaInvocations) + API_ACCESS_LOG_BYTES_PER_REQUEST * 2,
      // A trace starts where a request arrives without a trace header: each API request, and
      // each DynamoDB stream batch (stream records carry none). SNS, SQS, Step Functions and
      // Lambda pass the header on, so the rest of an order joins one of those traces.
      traces: 2 + perOrder(journey.invocations.PublishOrderEventsFunction ?? 0),
    };
    results.journey = {
      orders: JOURNEYS,
      timeScale: TIME_SCALE,
      toConfirmedMs: { p50: percentile(toConfirmed, 50), p95: percentile(toConfirmed, 95), max: Math.max(...toConfirmed) },
      hops: summarizeHops(hops),
      perOrder: {
        invocations: perFunction(journey.invocations, JOURNEYS),
        sdkCalls: perFunction(journey.sdkCalls, JOURNEYS),
        readUnits: perFunction(journey.readUnits, JOURNEYS),
        writeUnits: perFunction(journey.writeUnits, JOURNEYS),
        dynamoDbRequests: perOrder(sum(journey.sdkCalls, (key) => key.includes(' DynamoDB '))),
        sqsMessages: perOrder(sqsMessages),
        sqsBatches: perOrder(batches.length),
        stateTransitions: perOrder(transitions),
        expressExecutions: perOrder(expressRequests),
        logBytes: usage.logBytes,
        traces: usage.traces,
      },
      usage,
    };
    results.cost = { orders: 1000, prices: PRICES, target: COST_TARGET, ...costOf(usage, 1000) };

    // ---- 2b. scale: every partition and quota per kind of traffic (bench/scale.ts, docs/scale.md) ----
    console.log('Scale: partitions touched by each kind of traffic …');
    // The Standard saga's executions (its StartExecution and state-transition quotas; the Express child has its own, far higher).
    const sagaExecutionsOf = (orderIds: string[]) =>
      machine === undefined ? [] : cloud.stepFunctions.service.listExecutions({ stateMachineArn: machine.arn }).filter((execution) => orderIds.includes(execution.name));
    // The Express child (the order's confirmation) is found by the order id in its input, as above.
    const expressMachines = machines.filter((candidate) => cloud.stepFunctions.service.describeStateMachine(candidate.arn).type === 'EXPRESS');
    const expressExecutionsOf = (orderIds: string[]) =>
      expressMachines.reduce(
        (total, candidate) =>
          total +
          cloud.stepFunctions.service
            .listExecutions({ stateMachineArn: candidate.arn })
            .filter((item) => orderIds.some((id) => cloud.stepFunctions.service.describeExecution(item.executionArn).input.includes(id))).length,
        0,
      );
    const transitionsOf = (orderIds: string[]) =>
      sagaExecutionsOf(orderIds).reduce((total, execution) => total + cloud.stepFunctions.service.getExecutionHistory({ executionArn: execution.executionArn }).filter((event) => event.type.endsWith('StateEntered')).length, 0);
    const profileOf = async (name: string, count: number, delta: ReturnType<typeof since>, from: number, to: number, orderIds: string[]): Promise<JourneyProfile> => ({
      name,
      accesses: profileAccesses(await partitionLedger!.between(from, to), count),
      services: {
        apiRequests: sum(delta.apiRequests) / count,
        lambdaInvocations: sum(delta.invocations) / count,
        lambdaSeconds: sum(delta.lambdaSeconds) / count,
        snsPublishes: sum(delta.sdkCalls, (key) => / SNS Publish/.test(key)) / count,
        executionsStarted: sagaExecutionsOf(orderIds).length / count,
        expressExecutionsStarted: expressExecutionsOf(orderIds) / count,
        stateTransitions: transitionsOf(orderIds) / count,
        readUnits: sum(delta.readUnits) / count,
        writeUnits: sum(delta.writeUnits) / count,
      },
    });
    const profiles = [await profileOf(SHIPPED_ORDER, JOURNEYS, journey, journeyFrom, journeyTo, journeyOrders)];
    const scaleContext: ScaleJourneyContext = {
      call: (method, route, token, body) => call(method, route, token, body),
      placeOrder,
      awaitingShipment: (orderId) => waitFor(`order ${orderId} to await shipment`, async () => (await orderItem(orderId))?.shipmentTaskToken !== undefined),
      sagaFinished: (orderId) =>
        waitFor(`the saga of ${orderId} to finish`, async () => sagaExecutionsOf([orderId]).some((execution) => execution.status !== 'RUNNING')),
      customerToken,
      adminToken,
    };
    for (const kind of SCALE_JOURNEYS) {
      await settle();
      await partitionLedger!.mark();
      const before = snapshot();
      const from = Date.now();
      const orderIds: string[] = [];
      for (let i = 0; i < kind.count; i += 1) orderIds.push(...(await kind.run(scaleContext, i)));
      await settle(2000);
      profiles.push(await profileOf(kind.name, kind.count, since(before), from, Date.now(), orderIds));
    }
    const browse = profiles.find((profile) => profile.name === CATALOG_CACHE.journey);
    const localSecondsPerRequest = browse === undefined || browse.services.lambdaInvocations === 0 ? 0 : browse.services.lambdaSeconds / browse.services.lambdaInvocations;
    const bindings = project(withReadCache(profiles, CATALOG_CACHE), PEAK_MIX, HOT_SHARES, DEFAULT_QUOTAS, undefined, SHOWS_THE_BEST_SELLER);
    results.scale = { mix: PEAK_MIX, hotShares: HOT_SHARES, showsTheBestSeller: SHOWS_THE_BEST_SELLER, cache: { ...CATALOG_CACHE, localSecondsPerRequest, missRatio: cacheMissRatio(CATALOG_CACHE) }, profiles, bindings };

    // ---- 3. API latency ----------------------------------------------------------------------------
    console.log(`API latency: ${REQUESTS} requests at concurrency ${LEVELS.join(', ')} …`);
    // Each level twice: as before, while the background work of the orders placed (stream,
    // SNS/SQS, saga) competes for the CPU; then with the event source mappings paused, so a
    // request competes with nothing but the load generator (the orders' background work runs
    // after the resume, before the next level).
    const apiResults: Record<string, Record<number, unknown>> = { 'POST /orders': {}, 'GET /orders/{id}': {} };
    const apiPaused: Record<string, Record<number, unknown>> = { 'POST /orders': {}, 'GET /orders/{id}': {} };
    const placed: string[] = [];
    // CPU of this process (API, workers, the bench) and of DynamoDB Local over a phase, per request.
    const cpuNow = () => ({ node: process.cpuUsage(), jvm: jvmCpuMs(cloud.dynamoDbEndpoint) });
    const cpuSince = (start: ReturnType<typeof cpuNow>, requests: number) => {
      const node = process.cpuUsage(start.node);
      const jvm = jvmCpuMs(cloud.dynamoDbEndpoint);
      return { node: (node.user + node.system) / 1000 / requests, dynamoDbLocal: jvm === undefined || start.jvm === undefined ? Number.NaN : (jvm - start.jvm) / requests };
    };
    const measure = async (operation: string, level: number, functionLogicalId: string, run: (index: number) => Promise<void>) => {
      // Warm-up, not measured: one execution environment per concurrent caller (up to the
      // function's limit), so the level measures warm latency, not cold starts.
      await runLoad(2 * level, level, run, PHASE_DEADLINE_MS);
      await settle();
      let before = snapshot();
      let cpu = cpuNow();
      let summary = await runLoad(REQUESTS, level, run, PHASE_DEADLINE_MS);
      apiResults[operation]![level] = { ...strip(summary), dynamoDb: dynamoDbPerInvocation(since(before), functionLogicalId), cpuMsPerRequest: cpuSince(cpu, REQUESTS) };
      await settle();
      cloud.eventSources.pause();
      try {
        await settle(500); // batches already running finish
        // What this process and DynamoDB Local burn with nothing invoked: work left behind by
        // the previous phase that no invocation count shows (docs/performance.md).
        const idle = cpuNow();
        await sleep(1000);
        const idleCpuMsPerSecond = cpuSince(idle, 1);
        before = snapshot();
        cpu = cpuNow();
        summary = await runLoad(REQUESTS, level, run, PHASE_DEADLINE_MS);
        apiPaused[operation]![level] = { ...strip(summary), dynamoDb: dynamoDbPerInvocation(since(before), functionLogicalId), cpuMsPerRequest: cpuSince(cpu, REQUESTS), idleCpuMsPerSecond };
      } finally {
        cloud.eventSources.resume();
      }
    };
    for (const level of LEVELS) await measure('POST /orders', level, 'PlaceOrderFunction', async () => void placed.push(await placeOrder()));
    for (const level of LEVELS) {
      await measure('GET /orders/{id}', level, 'GetOrderFunction', async (index) => void (await call('GET', `/orders/${placed[index % placed.length]}`, customerToken)));
    }
    results.api = apiResults;
    results.apiPaused = apiPaused;

    // ---- 3b. API overhead at concurrency 1, event sources paused (issue 13, target 2) ------------
    console.log(`API overhead: ${REQUESTS} requests of each operation and baseline, interleaved, event sources paused …`);
    // Each round runs a block of every baseline and operation in turn, all while paused and after
    // the same settling, so the baselines meet the same machine as the API requests. POST has two
    // baselines: the transaction alone (issue 13's), and the two calls the handler makes
    // (BatchGetItem of the catalog, then the transaction; the order is its own idempotency record, D39).
    const rawPlaceOrderCalls = async () => {
      await client.send(
        new BatchGetItemCommand({ RequestItems: { [ordersTable.tableName]: { Keys: [{ PK: { S: `PRODUCT#${product.productId}` }, SK: { S: 'PRODUCT' } }] } } }),
      );
      await rawWrite();
    };
    // GET's second baseline: the same raw Query behind one HTTP round trip from the bench's client
    // to a bare Node server on loopback that runs it and sends its items back. No HTTP API over
    // one Query can take less here; GET ÷ this is what the gateway, Lambda and handler add.
    const queryServer = createServer((request, response) => {
      const index = Number(new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('i'));
      rawQuery(index).then(
        (items) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items })),
        () => response.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => queryServer.listen(0, '127.0.0.1', resolve));
    const queryServerUrl = `http://127.0.0.1:${(queryServer.address() as AddressInfo).port}`;
    const rawQueryOverHttp = async (index: number) => {
      const response = await fetch(`${queryServerUrl}/?i=${index}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`raw Query over HTTP: ${response.status}`);
      await response.text();
    };
    const overheadOperations = {
      'raw TransactWriteItems': { run: rawWrite },
      "raw: PlaceOrder's two DynamoDB calls": { run: rawPlaceOrderCalls },
      'POST /orders': { run: async () => void placed.push(await placeOrder()), functionLogicalId: 'PlaceOrderFunction' },
      'raw Query': { run: rawQuery },
      [QUERY_OVER_HTTP]: { run: rawQueryOverHttp },
      'GET /orders/{id}': { run: async (index: number) => void (await call('GET', `/orders/${placed[index % placed.length]}`, customerToken)), functionLogicalId: 'GetOrderFunction' },
    } satisfies Record<string, { run: (index: number) => Promise<unknown>; functionLogicalId?: string }>;
    const latencies: Record<string, number[]> = {};
    const cpu: Record<string, CpuSample[]> = {};
    const jvmCpu: Record<string, CpuSample[]> = {};
    const traces: Record<string, RequestTrace[]> = {};
    let backgroundInvocations = 0;
    await settle();
    cloud.eventSources.pause();
    try {
      await settle(500);
      for (const { run } of Object.values(overheadOperations)) await runLoad(5, 1, run, PHASE_DEADLINE_MS); // warm
      for (const block of blockSizes(REQUESTS, OVERHEAD_ROUNDS)) {
        for (const [operation, spec] of Object.entries(overheadOperations)) {
          const functionLogicalId = 'functionLogicalId' in spec ? spec.functionLogicalId : undefined;
          requestTraces = [];
          const cpuBefore = process.cpuUsage();
          const jvmBefore = jvmCpuMs(cloud.dynamoDbEndpoint);
          for (let i = 0; i < block; i += 1) {
            const begun = performance.now();
            await spec.run(i);
            const clientMs = performance.now() - begun;
            (latencies[operation] ??= []).push(clientMs);
            const invocation = requestTraces.findLast((candidate) => candidate.functionLogicalId === functionLogicalId);
            if (invocation !== undefined) (traces[operation] ??= []).push({ clientMs, ...invocation });
          }
          const cpuUsed = process.cpuUsage(cpuBefore);
          const jvmAfter = jvmCpuMs(cloud.dynamoDbEndpoint);
          (cpu[operation] ??= []).push({ requests: block, cpuMs: (cpuUsed.user + cpuUsed.system) / 1000 });
          if (jvmBefore !== undefined && jvmAfter !== undefined) (jvmCpu[operation] ??= []).push({ requests: block, cpuMs: jvmAfter - jvmBefore });
          backgroundInvocations += requestTraces.filter((candidate) => candidate.functionLogicalId !== functionLogicalId).length;
          requestTraces = undefined;
        }
      }
    } finally {
      requestTraces = undefined;
      cloud.eventSources.resume();
      queryServer.close();
    }
    results.apiOverhead = {
      rounds: Math.min(OVERHEAD_ROUNDS, REQUESTS),
      load: loadAverage(),
      backgroundInvocations,
      operations: Object.fromEntries(
        Object.keys(overheadOperations).map((operation) => [
          operation,
          {
            ...strip(summarize(latencies[operation] ?? [], 0, 0)),
            nodeCpuMsPerRequest: cpuPerRequest(cpu[operation] ?? []),
            dynamoDbLocalCpuMsPerRequest: cpuPerRequest(jvmCpu[operation] ?? []),
            ...(traces[operation] !== undefined && { hops: summarizeRequestHops(traces[operation]) }),
          },
        ]),
      ),
      baselines: OVERHEAD_BASELINES,
    };
  } finally {
    client.destroy();
    partitionLedger?.close();
    await cloud.stop();
    await log.close();
    rmSync(cognitoDataDirectory, { recursive: true, force: true });
  }

  results.builtFunctions = await builtFunctions();
  await finish(startedAt, results, true);
}

// ---- 4. built functions ------------------------------------------------------------------------
async function builtFunctions() {
  const artifacts = builtArtifacts(BUILD_DIR);
  let moduleLoad: ReturnType<typeof measureModuleLoad> = [];
  let layerBreakdown: LayerBreakdown | undefined;
  if (!args['no-module-load']) {
    console.log(`Module load: ${SAMPLES} samples per function …`);
    moduleLoad = measureModuleLoad(artifacts, mkdtempSync(path.join(tmpdir(), 'bench-module-load-')), SAMPLES);
    console.log(`Where the layer's load goes: ${SAMPLES} samples per package and entry point …`);
    layerBreakdown = await measureLayerBreakdown(SAMPLES, BUILD_DIR);
  }
  const overBudget = moduleLoadOverBudget(moduleLoad);
  if (overBudget.length > 0) process.exitCode = 1;
  return { artifacts: artifacts.map(({ directory: _directory, ...artifact }) => artifact), moduleLoad, overBudget, layerBreakdown };
}

/** Writes the report (and latest.json, for a full run) and prints its tables. */
async function finish(startedAt: Date, results: Record<string, unknown>, latest: boolean): Promise<void> {
  const report = {
    startedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    settings: { requests: REQUESTS, levels: LEVELS, journeys: JOURNEYS, samples: SAMPLES, timeScale: TIME_SCALE },
    minimums: MINIMUMS,
    targets: API_TARGETS,
    ...results,
  };
  const directory = path.join(ROOT, 'bench/results');
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${startedAt.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  if (latest) writeFileSync(path.join(directory, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const { printReport } = await import('./report.ts');
  printReport(report);
  console.log(`\nWritten: ${path.relative(ROOT, file)}${latest ? ' and bench/results/latest.json' : ''}`);
  const scale = results.scale as { bindings: Binding[] } | undefined;
  const regression = scale === undefined ? undefined : checkScaleBaseline(scale.bindings, JSON.parse(readFileSync(path.join(ROOT, 'bench/scale-baseline.json'), 'utf8')));
  if (regression !== undefined) {
    console.error(`\n${regression}`);
    process.exitCode = 1;
  }
}

/** Issue 13's targets: `p50 ÷ raw p50` at concurrency 1 with the event sources paused, and USD per 1,000 orders. */
const API_TARGETS = { 'POST /orders': 3, 'GET /orders/{id}': 1.5 };
const QUERY_OVER_HTTP = 'raw Query behind one HTTP round trip';
/** Section 3b: the baselines each operation is compared with (the first is the one its target applies to). */
const OVERHEAD_BASELINES = {
  'POST /orders': ['raw TransactWriteItems', "raw: PlaceOrder's two DynamoDB calls"],
  'GET /orders/{id}': ['raw Query', QUERY_OVER_HTTP],
};
/** Section 3b runs its requests in this many interleaved rounds. */
const OVERHEAD_ROUNDS = 5;

/** The 1-, 5- and 15-minute load averages when the measurement ended: how busy the shared machine was. */
function loadAverage(): number[] {
  return loadavg().map((value) => Number(value.toFixed(2)));
}

/**
 * CPU ms DynamoDB Local's JVM has used so far (Linux: /proc, found by its port), for the CPU per
 * request beside the wall clock; undefined where that cannot be read.
 */
function jvmCpuMs(endpoint: string): number | undefined {
  try {
    jvmPid ??= findJvm(new URL(endpoint).port);
    if (jvmPid === undefined) return undefined;
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${jvmPid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
let jvmPid: string | undefined;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times (100 on every common kernel build). */
const CLOCK_TICKS_PER_SECOND = 100;

function findJvm(port: string): string | undefined {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('java') && args.some((arg) => arg.endsWith('DynamoDBLocal.jar')) && args[args.indexOf('-port') + 1] === port) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
const COST_TARGET = 0.15;

/** The least each API operation needs, from docs/data-model.md's access patterns. */
const MINIMUMS = {
  'POST /orders': {
    requests: 2,
    how: 'BatchGetItem (the products) + TransactWriteItems (header + lines, conditional: the order is its own idempotency record)',
  },
  'GET /orders/{id}': { requests: 1, how: 'Query PK = ORDER#<id>, begins_with(SK, ORDER)' },
};

/** A ledger of the orders table's partitions: its key schema and stream, from DescribeTable. */
async function ledgerFor(client: DynamoDBClient, tableName: string, endpoint: string, region: string): Promise<PartitionLedger> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const keyOf = (schema: Array<{ AttributeName?: string; KeyType?: string }> | undefined, type: 'HASH' | 'RANGE') =>
    schema?.find((key) => key.KeyType === type)?.AttributeName ?? '';
  const schema: KeySchema = {
    partitionKey: keyOf(Table?.KeySchema, 'HASH'),
    sortKey: keyOf(Table?.KeySchema, 'RANGE'),
    indexes: Object.fromEntries((Table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, { partitionKey: keyOf(index.KeySchema, 'HASH'), sortKey: keyOf(index.KeySchema, 'RANGE') }])),
  };
  if (Table?.LatestStreamArn === undefined) throw new Error(`${tableName} has no stream`);
  return new PartitionLedger({ endpoint, region, tableName, streamArn: Table.LatestStreamArn, schema });
}

function strip(summary: LatencySummary & { latenciesMs?: number[] }): LatencySummary {
  const { latenciesMs: _latencies, ...rest } = summary;
  return rest;
}

function perFunction(record: Record<string, number>, orders: number): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => [key, value / orders]));
}

function dynamoDbPerInvocation(delta: ReturnType<typeof since>, functionLogicalId: string) {
  const invocations = delta.invocations[functionLogicalId] ?? 0;
  const per = (value: number) => (invocations === 0 ? Number.NaN : value / invocations);
  const calls = Object.fromEntries(
    Object.entries(delta.sdkCalls)
      .filter(([key]) => key.startsWith(`${functionLogicalId} DynamoDB `))
      .map(([key, value]) => [key.slice(`${functionLogicalId} DynamoDB `.length), per(value)]),
  );
  return {
    invocations,
    requests: per(sum(delta.sdkCalls, (key) => key.startsWith(`${functionLogicalId} DynamoDB `))),
    readUnits: per(delta.readUnits[functionLogicalId] ?? 0),
    writeUnits: per(delta.writeUnits[functionLogicalId] ?? 0),
    calls,
  };
}

await main();
