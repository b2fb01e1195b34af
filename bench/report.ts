/**
 * The tables `npm run bench` prints (Markdown, so they paste into docs/performance.md), from the
 * report it writes to bench/results/. `node --import tsx bench/report.ts [file]` prints a saved
 * report again (default: bench/results/latest.json).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LayerBreakdown } from './layer-breakdown.ts';
import { type Binding, type JourneyProfile, partitionBound, TARGET_ORDERS_PER_SECOND } from './scale.ts';

type Summary = { count: number; errors: number; p50: number; p95: number; p99: number; throughput: number };
type PerCall = { invocations: number; requests: number; readUnits: number; writeUnits: number; calls: Record<string, number> };

// The report is plain JSON; these are the parts printed.
export interface BenchReport {
  startedAt: string;
  durationS: number;
  machine: { cpus: number; cpuModel?: string; memoryGiB: number; node: string };
  settings: { requests: number; levels: number[]; journeys: number; samples: number; timeScale: number };
  minimums: Record<string, { requests: number; how: string }>;
  /** Issue 13's targets for `p50 ÷ raw p50` at concurrency 1, event sources paused. */
  targets?: Record<string, number>;
  rawDynamoDb?: { transactWrite: Record<string, Summary>; query: Record<string, Summary>; capacityUnitsPerCall: { transactWrite: number; query: number } };
  api?: Record<string, Record<string, Summary & { dynamoDb: PerCall }>>;
  /** The same, with the event source mappings paused (no background work). */
  apiPaused?: Record<string, Record<string, Summary & { dynamoDb: PerCall }>>;
  /** Section 3b: concurrency 1, paused, the baselines interleaved with the API requests (issue 13's targets). */
  apiOverhead?: {
    rounds: number;
    load: number[];
    backgroundInvocations: number;
    operations: Record<string, Summary & { mean: number; nodeCpuMsPerRequest: number; dynamoDbLocalCpuMsPerRequest: number; hops?: { requests: number; clientP50: number; sdkCallsPerRequest: number; hops: Array<{ hop: string; p50: number; mean: number; share: number }> } }>;
    baselines: Record<string, string[]>;
  };
  journey?: {
    orders: number;
    timeScale: number;
    toConfirmedMs: { p50: number; p95: number; max: number };
    hops?: { hops: Array<{ hop: string; p50: number; mean: number; share: number }>; slowest?: string; explained: number };
    perOrder: {
      invocations: Record<string, number>;
      sdkCalls: Record<string, number>;
      readUnits: Record<string, number>;
      writeUnits: Record<string, number>;
      dynamoDbRequests: number;
      sqsMessages: number;
      sqsBatches: number;
      stateTransitions: number;
      expressExecutions?: number;
      logBytes?: number;
      traces?: number;
    };
  };
  cost?: { orders: number; target?: number; prices: { retrieved: string; region: string }; lines: Array<{ item: string; perOrder: number; cost: number }>; total: number };
  scale?: {
    mix: Record<string, number>;
    hotShares: Record<string, number>;
    cache?: { journey: string; maxAgeSeconds: number; pages: number; environmentsPerConcurrency: number; secondsPerRequest: number; localSecondsPerRequest?: number; missRatio: number };
    profiles: JourneyProfile[];
    bindings: Binding[];
  };
  builtFunctions?: {
    artifacts: Array<{ name: string; codeBytes: number; totalBytes: number }>;
    moduleLoad: Array<{ name: string; samples: number; p50: number; p90: number; cpuP50?: number }>;
    overBudget?: string[];
    layerBreakdown?: LayerBreakdown;
  };
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–');
const num = (value: number, digits = 2) => (Number.isFinite(value) ? String(Number(value.toFixed(digits))) : '–');
/** A Markdown table; columns whose cells are all numbers (or blank) are right-aligned. */
const table = (header: string[], rows: string[][]) => {
  const numeric = header.map((_, column) => column > 0 && rows.every((row) => /^[\d.,$×*–\s-]*$/.test(row[column] ?? '')));
  return [`| ${header.join(' | ')} |`, `|${numeric.map((right) => (right ? '---:' : '---')).join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
};

export function printReport(report: BenchReport, print: (line: string) => void = console.log): void {
  const { machine, settings } = report;
  print(`\n# Benchmark, ${report.startedAt} (${report.durationS} s)\n`);
  print(`${machine.cpus} × ${machine.cpuModel ?? 'CPU'}, ${machine.memoryGiB} GiB, Node ${machine.node}; ${settings.requests} requests per level, ${settings.journeys} journeys, time scale ${settings.timeScale}\n`);

  if (report.apiOverhead !== undefined) printApiOverhead(report, print);
  if (report.api !== undefined && report.rawDynamoDb !== undefined) {
    const raw = report.rawDynamoDb;
    if (report.apiPaused !== undefined && report.apiOverhead === undefined) {
      print('## API overhead at concurrency 1, event sources paused (targets of issue 13)\n');
      print(
        table(
          ['operation', 'p50 (ms)', 'raw p50 (ms)', 'p50 ÷ raw p50', 'target', 'met', 'with background work'],
          Object.entries(report.apiPaused).map(([operation, levels]) => {
            const paused = levels['1'];
            const busy = report.api?.[operation]?.['1'];
            const rawSummary = (operation.startsWith('POST') ? raw.transactWrite : raw.query)['1'];
            const ratio = paused === undefined || rawSummary === undefined ? Number.NaN : paused.p50 / rawSummary.p50;
            const target = report.targets?.[operation];
            const busyRatio = busy === undefined || rawSummary === undefined ? '–' : `${num(busy.p50 / rawSummary.p50, 1)}× (${ms(busy.p50)} ms)`;
            return [operation, ms(paused?.p50 ?? Number.NaN), ms(rawSummary?.p50 ?? Number.NaN), `${num(ratio, 2)}×`, target === undefined ? '–' : `≤ ${target}×`, target === undefined || !Number.isFinite(ratio) ? '–' : ratio <= target ? 'yes' : 'no', busyRatio];
          }),
        ),
      );
      print('');
    }
    const latencyTable = (title: string, api: NonNullable<BenchReport['api']>) => {
      print(title);
      const rows: string[][] = [];
      for (const [operation, levels] of Object.entries(api)) {
        const baseline = operation.startsWith('POST') ? raw.transactWrite : raw.query;
        for (const [level, summary] of Object.entries(levels)) {
          const rawSummary = baseline[level];
          rows.push([
            operation,
            level,
            ms(summary.p50),
            ms(summary.p95),
            ms(summary.p99),
            num(summary.throughput, 1),
            String(summary.errors),
            ms(rawSummary?.p50 ?? Number.NaN),
            ms(rawSummary?.p95 ?? Number.NaN),
            rawSummary === undefined ? '–' : `${num(summary.p50 / rawSummary.p50, 1)}×`,
            num(summary.dynamoDb.requests),
            num(summary.dynamoDb.readUnits),
            num(summary.dynamoDb.writeUnits),
          ]);
        }
      }
      print(table(['operation', 'concurrency', 'p50', 'p95', 'p99', 'req/s', 'errors', 'raw p50', 'raw p95', 'p50 ÷ raw p50', 'DynamoDB requests', 'RCU', 'WCU'], rows));
    };
    latencyTable('## API latency next to raw DynamoDB Local (ms), with background work\n', report.api);
    if (report.apiPaused !== undefined) latencyTable('\n## API latency next to raw DynamoDB Local (ms), event sources paused\n', report.apiPaused);
    print(`\nRaw: TransactWriteItems (header + 1 line) for POST, Query of one order's partition for GET; ${num(raw.capacityUnitsPerCall.transactWrite)} and ${num(raw.capacityUnitsPerCall.query)} capacity units per call.\n`);
    print(table(['operation', 'minimum DynamoDB requests', 'measured', 'the minimum is'], Object.entries(report.minimums).map(([operation, minimum]) => {
      const measured = Object.values(report.api?.[operation] ?? {})[0]?.dynamoDb;
      return [operation, String(minimum.requests), measured === undefined ? '–' : `${num(measured.requests)} (${Object.entries(measured.calls).map(([command, count]) => `${num(count)} ${command.replace('Command', '')}`).join(', ')})`, minimum.how];
    })));
  }

  if (report.journey !== undefined) {
    const journey = report.journey;
    print(`\n## Order journey (POST /orders → CONFIRMED → shipped → saga done), per order, ${journey.orders} orders\n`);
    print(`Time from POST /orders to CONFIRMED: p50 ${ms(journey.toConfirmedMs.p50)} ms, p95 ${ms(journey.toConfirmedMs.p95)} ms, max ${ms(journey.toConfirmedMs.max)} ms (time scale ${journey.timeScale}).\n`);
    if (journey.hops !== undefined) {
      const { hops, slowest, explained } = journey.hops;
      print(`Where that time goes, hop by hop (${explained} of ${journey.orders} journeys explained; the hops of a journey add up to its total):\n`);
      const total = hops.reduce((sum, hop) => sum + hop.mean, 0);
      print(table(['hop', 'p50 (ms)', 'mean (ms)', 'share'], [...hops.map((hop) => [hop.hop === slowest ? `**${hop.hop}**` : hop.hop, ms(hop.p50), ms(hop.mean), `${num(hop.share * 100, 1)}%`]), ['**total (mean)**', '', ms(total), '100%']]));
      if (slowest !== undefined) print(`\nSlowest hop: ${slowest}.\n`);
    }
    const functions = new Set([...Object.keys(journey.perOrder.invocations), ...Object.keys(journey.perOrder.sdkCalls).map((key) => key.split(' ')[0] ?? key)]);
    const sources = [...functions].map((source) => (source === 'StepFunctions' ? 'StepFunctions (direct integrations)' : source));
    const rows = [...new Set(sources)].sort().map((source) => {
      const calls = Object.entries(journey.perOrder.sdkCalls).filter(([key]) => key.startsWith(`${source} `));
      const dynamo = calls.filter(([key]) => key.includes(' DynamoDB ')).reduce((total, [, value]) => total + value, 0);
      const other = calls.filter(([key]) => !key.includes(' DynamoDB ')).map(([key, value]) => `${num(value)} ${key.slice(source.length + 1).replace('Command', '')}`);
      return [source, num(journey.perOrder.invocations[source] ?? 0), num(dynamo), num(journey.perOrder.readUnits[source] ?? 0), num(journey.perOrder.writeUnits[source] ?? 0), other.join(', ') || '–'];
    });
    print(table(['function', 'invocations', 'DynamoDB requests', 'RCU', 'WCU', 'other SDK calls'], rows));
    const totalRead = Object.values(journey.perOrder.readUnits).reduce((a, b) => a + b, 0);
    const totalWrite = Object.values(journey.perOrder.writeUnits).reduce((a, b) => a + b, 0);
    print(`\nPer order: ${num(journey.perOrder.dynamoDbRequests)} DynamoDB requests (${num(totalRead)} RCU, ${num(totalWrite)} WCU as DynamoDB Local reports them), ${num(journey.perOrder.stateTransitions)} Standard state transitions, ${num(journey.perOrder.expressExecutions ?? 0)} Express executions, ${num(journey.perOrder.sqsMessages)} SQS messages in ${num(journey.perOrder.sqsBatches)} batches, ${num(journey.perOrder.logBytes ?? Number.NaN, 0)} bytes of logs, ${num(journey.perOrder.traces ?? Number.NaN)} X-Ray traces.`);
  }

  if (report.cost !== undefined) {
    print(`\n## Cost of ${report.cost.orders} orders (${report.cost.prices.region} on-demand prices of ${report.cost.prices.retrieved}, bench/cost.ts)\n`);
    print(table(['item', 'per order', `USD per ${report.cost.orders}`], [...report.cost.lines.map((line) => [line.item, num(line.perOrder, 4), `$${line.cost.toFixed(4)}`]), ['**total**', '', `**$${report.cost.total.toFixed(4)}**`]]));
    const target = report.cost.target;
    if (target !== undefined) print(`\nTarget: ≤ $${target.toFixed(2)} per ${report.cost.orders} orders: ${report.cost.total <= target ? 'met' : 'not met'} ($${report.cost.total.toFixed(4)}).`);
  }

  if (report.scale !== undefined) printScale(report.scale, print);

  if (report.builtFunctions !== undefined) {
    const { artifacts, moduleLoad } = report.builtFunctions;
    const baseline = moduleLoad.find((entry) => entry.name.startsWith('baseline'));
    print(`\n## Built functions (sam build): size and cold module load${baseline === undefined ? '' : `, ${baseline.samples} samples`}\n`);
    const rows = artifacts.map((artifact) => {
      const load = moduleLoad.find((entry) => entry.name === artifact.name);
      return [
        artifact.name,
        String(artifact.codeBytes),
        String(artifact.totalBytes),
        load === undefined ? '–' : ms(load.p50),
        load === undefined ? '–' : ms(load.p90),
        load === undefined || baseline === undefined ? '–' : `${num(load.p50 / baseline.p50, 2)}×`,
        load?.cpuP50 === undefined ? '–' : ms(load.cpuP50),
        load?.cpuP50 === undefined || baseline?.cpuP50 === undefined ? '–' : `${num(load.cpuP50 / baseline.cpuP50, 2)}×`,
      ];
    });
    if (baseline !== undefined) rows.unshift([baseline.name, '', '', ms(baseline.p50), ms(baseline.p90), '1×', baseline.cpuP50 === undefined ? '–' : ms(baseline.cpuP50), '1×']);
    print(table(['artifact', 'JS bytes', 'bytes with maps', 'import p50 (ms)', 'import p90 (ms)', 'p50 ÷ baseline', 'CPU p50 (ms)', 'CPU ÷ baseline'], rows));
    const over = report.builtFunctions.overBudget ?? [];
    print(over.length === 0 ? '\nEvery function is within the module-load budget (bench/budgets.json).' : `\n**Over budget** (the run exits 1):\n${over.map((line) => `- ${line}`).join('\n')}`);
    if (report.builtFunctions.layerBreakdown !== undefined) printBreakdown(report.builtFunctions.layerBreakdown, print);
  }
}

/** The layer breakdown (bench/layer-breakdown.ts): what each package and each entry point adds to the baseline. */
export function printBreakdown(breakdown: LayerBreakdown, print: (line: string) => void = console.log): void {
  const samples = breakdown.packages[0]?.samples ?? breakdown.entryPoints[0]?.samples ?? 0;
  print(`\n## Where the layer's load goes: ms added on top of \`${breakdown.baseline}\`, ${samples} samples\n`);
  const rows = (list: LayerBreakdown['packages']) =>
    list.map((row) => [row.name, String(row.bytes), ms(row.p50), ms(row.p90), ms(row.cpuP50), row.note]);
  print(table(['package (bundled alone, as in the layer)', 'minified bytes', 'adds p50 (ms)', 'adds p90 (ms)', 'CPU p50 (ms)', ''], rows(breakdown.packages)));
  print('');
  print(table(['layer entry point', 'bytes loaded (entry + static chunks)', 'adds p50 (ms)', 'adds p90 (ms)', 'CPU p50 (ms)', ''], rows(breakdown.entryPoints)));
}

const rate = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : 'unbounded');

/** Where the system stops: the order rate each partition class and quota allows, lowest first (docs/scale.md). */
function printScale(scale: NonNullable<BenchReport['scale']>, print: (line: string) => void): void {
  print('\n## Scale projection (bench/scale.ts, docs/scale.md)\n');
  print(`Mix per order: ${Object.entries(scale.mix).map(([name, weight]) => `${weight} × ${name}`).join('; ')}. Hot shares: ${Object.entries(scale.hotShares).map(([klass, share]) => `${klass} ${num(share * 100, 3)}%`).join(', ')}.\n`);
  const cache = scale.cache;
  if (cache !== undefined) {
    print(
      `Catalog cache (${cache.journey}): maxAge ${cache.maxAgeSeconds} s, ${cache.pages} pages, ${cache.environmentsPerConcurrency} environments per concurrent execution, ` +
        `${num(cache.secondsPerRequest * 1000, 3)} ms per request in AWS (assumed; ${num((cache.localSecondsPerRequest ?? 0) * 1000, 3)} ms here): ` +
        `${num(cache.missRatio * 100, 3)}% of its catalog reads reach DynamoDB (the table below shows them unreduced).\n`,
    );
  }
  print(table(['journey', 'partition', 'kind', 'units per journey'], scale.profiles.flatMap((profile) => profile.accesses.map((access) => [profile.name, `${access.target} ${access.partitionClass}`, access.kind, num(access.units, 3)]))));
  print('');
  const shown = scale.bindings.filter((binding) => binding.maxOrdersPerSecond < 1e6);
  const target = TARGET_ORDERS_PER_SECOND.toLocaleString('en-US');
  print(
    table(
      ['limit', 'load per order/s', 'limit', 'orders/s at the limit', 'raise by request', `needs at ${target}/s`, 'ask for'],
      shown.map((binding) => [
        binding.what,
        num(binding.loadPerOrder, 3),
        String(binding.limit),
        rate(binding.maxOrdersPerSecond),
        binding.adjustable ? 'yes' : 'no (redesign)',
        binding.request === undefined ? '' : String(Math.ceil(binding.request.needed)),
        binding.request === undefined ? '' : String(binding.request.askFor),
      ]),
    ),
  );
  const first = scale.bindings[0];
  const bound = partitionBound(scale.bindings);
  if (first !== undefined) print(`\n**Projected maximum: ${rate(first.maxOrdersPerSecond)} orders/s, bound by ${first.what}.**`);
  if (bound !== undefined) print(`**The data model alone (no quota): ${rate(bound.maxOrdersPerSecond)} orders/s, bound by ${bound.what}.**`);
  const below = scale.bindings.filter((binding) => binding.maxOrdersPerSecond < TARGET_ORDERS_PER_SECOND);
  if (below.length > 0) print(`Below ${target} orders/s: ${below.map((binding) => (binding.request === undefined ? `${binding.what} (redesign)` : `${binding.what} (ask for ${binding.request.askFor})`)).join('; ')}.`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results/latest.json');
  printReport(JSON.parse(readFileSync(file, 'utf8')) as BenchReport);
}

/** Issue 13's target 2 (section 3b of bench/run.ts): each operation against its baselines, and where its time goes. */
function printApiOverhead(report: BenchReport, print: (line: string) => void): void {
  const overhead = report.apiOverhead!;
  const { operations } = overhead;
  const cpuOf = (entry: { nodeCpuMsPerRequest: number; dynamoDbLocalCpuMsPerRequest: number }) =>
    entry.nodeCpuMsPerRequest + (Number.isFinite(entry.dynamoDbLocalCpuMsPerRequest) ? entry.dynamoDbLocalCpuMsPerRequest : 0);
  print(`## API overhead at concurrency 1, event sources paused (targets of issue 13)\n`);
  const rows: string[][] = [];
  for (const [operation, baselines] of Object.entries(overhead.baselines)) {
    const api = operations[operation];
    if (api === undefined) continue;
    baselines.forEach((baseline, index) => {
      const raw = operations[baseline];
      const ratio = raw === undefined ? Number.NaN : api.p50 / raw.p50;
      // The target is issue 13's, against its baseline (the first); the others are for reading.
      const target = index === 0 ? report.targets?.[operation] : undefined;
      const busy = report.api?.[operation]?.['1'];
      const rawBusy = (operation.startsWith('POST') ? report.rawDynamoDb?.transactWrite : report.rawDynamoDb?.query)?.['1'];
      rows.push([
        index === 0 ? operation : '',
        baseline,
        ms(api.p50),
        ms(raw?.p50 ?? Number.NaN),
        `${num(ratio, 2)}×`,
        target === undefined ? '–' : `≤ ${target}×`,
        target === undefined || !Number.isFinite(ratio) ? '–' : ratio <= target ? 'yes' : 'no',
        raw === undefined ? '–' : `${num(cpuOf(api), 1)} / ${num(cpuOf(raw), 1)} = ${num(cpuOf(api) / cpuOf(raw), 1)}×`,
        index === 0 && busy !== undefined && rawBusy !== undefined ? `${num(busy.p50 / rawBusy.p50, 1)}× (${ms(busy.p50)} ms)` : '',
      ]);
    });
  }
  print(table(['operation', 'baseline', 'p50 (ms)', 'baseline p50 (ms)', 'p50 ÷ baseline p50', 'target', 'met', 'CPU ms per request ÷ baseline', 'with background work'], rows));
  print(
    `\n${operations['POST /orders']?.count ?? 0} requests of each, in ${overhead.rounds} interleaved rounds; ${overhead.backgroundInvocations} other invocations ran meanwhile; ` +
      `load average ${overhead.load.join(', ')} at the end. CPU: this process (API, Lambda workers, the bench's client) plus DynamoDB Local's JVM. ` +
      '"With background work": section 3\'s p50 at concurrency 1 ÷ section 1\'s raw p50, measured apart and with the orders\' background work running.\n',
  );
  const withHops = Object.entries(operations).filter(([, entry]) => entry.hops !== undefined);
  if (withHops.length === 0) return;
  print('Where a request\'s time goes (p50 / mean ms; the means add up to the mean request):\n');
  const hopNames = withHops[0]![1].hops!.hops.map((hop) => hop.hop);
  print(
    table(
      ['hop', ...withHops.map(([operation]) => operation)],
      [
        ...hopNames.map((name, index) => [
          name,
          ...withHops.map(([, entry]) => {
            const hop = entry.hops!.hops[index]!;
            return `${ms(hop.p50)} / ${ms(hop.mean)} (${num(hop.share * 100, 0)}%)`;
          }),
        ]),
        ['SDK calls per request', ...withHops.map(([, entry]) => num(entry.hops!.sdkCallsPerRequest, 1))],
        ['**request** (p50 / mean)', ...withHops.map(([, entry]) => `${ms(entry.p50)} / ${ms(entry.mean)}`)],
      ],
    ),
  );
  print('');
}
