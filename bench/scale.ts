/**
 * The scale projection (docs/scale.md): from measured journeys (what one order, one catalog
 * browse, one admin listing… touched, per partition class and per AWS service), the load each
 * partition and each per-account quota takes at a given order rate, and the order rate at
 * which each reaches its limit. The lowest is where the system stops.
 */
import { CATALOG_SHARDS, STATUS_SHARDS, STOCK_COUNTERS } from '../layers/shared/src/platform/table/keys.ts';
import { type PartitionAccess, partitionClass } from './partitions.ts';

/**
 * A sharded index partition (`…#<shard>`) spreads its writes at random and is read whole by
 * every list (sharded-index.ts), so each shard takes 1/shards of the class's units.
 */
export function shardShare(klass: string): number | undefined {
  if (/^STATUS#[A-Z_]+#<shard>$/.test(klass)) return 1 / STATUS_SHARDS;
  if (klass === 'CATALOG#<shard>') return 1 / CATALOG_SHARDS;
  return undefined;
}

/**
 * A catalog index entry is a product's item: every change of a product rewrites its entry in the
 * shard the product was put in. The hottest shard holds the best-selling product, so it takes
 * that product's share of the writes plus an even part of the rest's. (Since stock moved to
 * counter items without index keys, an order writes no product item, and no catalog entry.)
 */
const SHARD_OWNERS: Record<string, string> = { 'CATALOG#<shard>': 'PRODUCT#<id>' };

export function hottestShardShare(klass: string, kind: 'read' | 'write', hotShares: HotShares): number | undefined {
  const even = shardShare(klass);
  if (even === undefined || kind === 'read') return even;
  const owner = SHARD_OWNERS[klass];
  const hot = owner === undefined ? undefined : hotShares[owner];
  return hot === undefined ? even : hot + (1 - hot) * even;
}

/**
 * The share of all orders the best-selling of `items` products takes when popularity follows
 * Zipf's law with `exponent` (the k-th product sells in proportion to 1/k^exponent).
 */
export function zipfTopShare(items: number, exponent = 1): number {
  let harmonic = 0;
  for (let rank = 1; rank <= items; rank += 1) harmonic += 1 / rank ** exponent;
  return 1 / harmonic;
}

/**
 * A read cache in the function's memory (catalog/recent-pages.ts): each execution environment
 * reads each page from DynamoDB at most once per `maxAgeSeconds`. By Little's law the list
 * function runs in (list rate × seconds per list) environments at once; Lambda keeps spare ones
 * warm, counted by `environmentsPerConcurrency`. So DynamoDB sees at most
 * environments × pages ÷ maxAge reads a second, a share of the list rate that does not grow with it.
 */
export interface ReadCache {
  /** The journey whose reads it serves. */
  journey: string;
  /** The partition classes whose reads it takes off. */
  partitionClasses: string[];
  maxAgeSeconds: number;
  /** Distinct pages (limit, cursor) the shoppers read. */
  pages: number;
  environmentsPerConcurrency: number;
  /** Seconds one request of the journey keeps an environment busy (measured). */
  secondsPerRequest: number;
}

/** The share of the journey's cacheable reads that still reach DynamoDB (ReadCache). */
export function cacheMissRatio(cache: ReadCache): number {
  return Math.min(1, (cache.environmentsPerConcurrency * cache.secondsPerRequest * cache.pages) / cache.maxAgeSeconds);
}

/** The profiles with a cache's hits taken off its journey's reads (and off the table's read units). */
export function withReadCache(profiles: JourneyProfile[], cache: ReadCache): JourneyProfile[] {
  const miss = cacheMissRatio(cache);
  return profiles.map((profile) => {
    if (profile.name !== cache.journey) return profile;
    let saved = 0;
    const accesses = profile.accesses.map((access) => {
      if (access.kind !== 'read' || !cache.partitionClasses.includes(access.partitionClass)) return access;
      saved += access.units * (1 - miss);
      return { ...access, units: access.units * miss };
    });
    const measuredReads = Math.max(profile.services.readUnits, profile.accesses.filter((access) => access.kind === 'read').reduce((sum, access) => sum + access.units, 0));
    return { ...profile, accesses, services: { ...profile.services, readUnits: Math.max(0, measuredReads - saved) } };
  });
}

/** DynamoDB's per-partition throughput (table and every index alike). */
export const PARTITION_LIMITS = { read: 3000, write: 1000 } as const;

/** One measured kind of traffic, divided by the number of times it was measured. */
export interface JourneyProfile {
  name: string;
  /** Partition accesses per journey (units per partition class; `entities`: the distinct ids of the class touched, when more than one). */
  accesses: Array<{ target: string; partitionClass: string; kind: 'read' | 'write'; units: number; entities?: number }>;
  /** Per journey: API requests, Lambda invocations and their busy seconds, SNS publishes, executions started, state transitions, table units. */
  services: ServiceUsage;
}

export interface ServiceUsage {
  apiRequests: number;
  lambdaInvocations: number;
  /** Seconds of Lambda execution (concurrency × time). */
  lambdaSeconds: number;
  snsPublishes: number;
  executionsStarted: number;
  /** Express child executions started (the order's confirmation, docs/decisions.md D31). */
  expressExecutionsStarted?: number;
  stateTransitions: number;
  readUnits: number;
  writeUnits: number;
}

/** How many of each journey one order brings (e.g. 8 catalog browses and 0.1 cancellations per order). */
export type Mix = Record<string, number>;

/**
 * The share of all orders that one entity of a partition class takes at the peak: an order's own
 * partition sees one order, not the rate, so it has no entry (its load does not grow with the
 * rate); a product at a sale may take a share of every order.
 */
export type HotShares = Record<string, number>;

export interface Quota {
  name: string;
  limit: number;
  unit: string;
  /** How much of the quota one order (with its mix) uses per second of one order per second. */
  perOrder: (usage: ServiceUsage) => number;
  adjustable: boolean;
  source: string;
}

export interface Binding {
  what: string;
  /** For an adjustable quota: what the target order rate needs, and the round number to ask for (quotaRequest). */
  request?: { needed: number; askFor: number };
  /** Orders per second at which it reaches its limit (Infinity: it never does). */
  maxOrdersPerSecond: number;
  loadPerOrder: number;
  limit: number;
  adjustable: boolean;
  note?: string;
}

const ENTITY_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Sums partition accesses into units per partition class (per journey when divided by `count`),
 * and counts the entities (ids) of the class they touched: a catalog page reads the counters of
 * every product it shows, an order those of the one it buys.
 */
export function profileAccesses(accesses: PartitionAccess[], count: number): JourneyProfile['accesses'] {
  const totals = new Map<string, { target: string; partitionClass: string; kind: 'read' | 'write'; units: number; ids: Set<string> }>();
  for (const access of accesses) {
    const klass = partitionClass(access.partition);
    const key = `${access.target}|${klass}|${access.kind}`;
    const entry = totals.get(key) ?? { target: access.target, partitionClass: klass, kind: access.kind, units: 0, ids: new Set<string>() };
    entry.units += access.units;
    const id = access.partition.match(ENTITY_ID)?.join('|');
    if (id !== undefined) entry.ids.add(id.toLowerCase());
    totals.set(key, entry);
  }
  return [...totals.values()]
    .map(({ ids, ...entry }) => ({ ...entry, units: entry.units / count, ...(ids.size > 1 && { entities: ids.size }) }))
    .sort((a, b) => b.units - a.units);
}

/**
 * How many partitions one entity of a class spreads over: a product's stock is `STOCK_COUNTERS`
 * counter items, and an order reserves from one drawn at random (and releases or ships from the
 * same), while every read of a product reads all of them; either way one counter takes 1/n.
 */
export function partitionsPerEntity(klass: string): number {
  return klass === 'STOCK#<id>#<counter>' ? STOCK_COUNTERS : 1;
}

/** A class is shared by every order when no id is part of its key (`STATUS#PENDING`, `CATALOG`). */
export const isShared = (klass: string) => !klass.includes('<');

function mixed<T>(profiles: JourneyProfile[], mix: Mix, pick: (profile: JourneyProfile) => T[], add: (into: Map<string, number>, item: T, weight: number) => void) {
  const totals = new Map<string, number>();
  for (const profile of profiles) {
    const weight = mix[profile.name] ?? 0;
    if (weight === 0) continue;
    for (const item of pick(profile)) add(totals, item, weight);
  }
  return totals;
}

function shardNote(klass: string, share: number): string {
  const even = shardShare(klass);
  const percent = `${Math.round(share * 1000) / 10}%`;
  if (even === undefined) return `the hottest ${klass} takes ${percent} of orders`;
  if (share === even) return `one of ${Math.round(1 / share)} shards`;
  return `the shard of the best seller: ${percent} of the class`;
}

function hotEntityNote(klass: string, share: number, showsHot: readonly string[]): string {
  const spread = partitionsPerEntity(klass);
  return [
    `the best seller (${Math.round(share * 1000) / 10}% of orders)`,
    ...(spread > 1 ? [`one of its ${spread} partitions`] : []),
    ...(showsHot.length > 0 ? [`read by every ${showsHot.join(', ')}`] : []),
  ].join('; ');
}

/**
 * Every partition class's load per order of the mix, and the order rate at which its hottest
 * partition reaches DynamoDB's limit. A class of entities with a hot share (a product) puts on
 * its hottest partition each journey's units per entity touched, per partition of the entity
 * (`partitionsPerEntity`), times the share of journeys that touch the best seller: its share of
 * orders, or every time for the journeys in `showsHot` (the catalog page, which shows it).
 */
export function partitionBindings(profiles: JourneyProfile[], mix: Mix, hotShares: HotShares, showsHot: readonly string[] = []): Binding[] {
  const perOrder = mixed(profiles, mix, (profile) => profile.accesses.map((access) => ({ ...access, journey: profile.name })), (into, access, weight) => {
    const key = `${access.target} ${access.partitionClass} (${access.kind})`;
    into.set(key, (into.get(key) ?? 0) + access.units * weight);
    const hot = hotShares[access.partitionClass];
    if (hot === undefined) return;
    const touches = showsHot.includes(access.journey) ? 1 : hot;
    const hottest = `${key} hottest`;
    into.set(hottest, (into.get(hottest) ?? 0) + (access.units / (access.entities ?? 1) / partitionsPerEntity(access.partitionClass)) * touches * weight);
  });
  const touched = (klass: string) => showsHot.filter((journey) => (mix[journey] ?? 0) > 0 && profiles.some((profile) => profile.name === journey && profile.accesses.some((access) => access.partitionClass === klass)));
  return [...perOrder.entries()].filter(([what]) => !what.endsWith(' hottest')).map(([what, units]) => {
    const kind = what.endsWith('(read)') ? 'read' : 'write';
    const klass = what.split(' ')[1]!;
    const limit = PARTITION_LIMITS[kind];
    const hotLoad = perOrder.get(`${what} hottest`);
    if (!isShared(klass) && hotLoad !== undefined) {
      return { what, maxOrdersPerSecond: limit / hotLoad, loadPerOrder: hotLoad, limit, adjustable: false, note: hotEntityNote(klass, hotShares[klass]!, touched(klass)) };
    }
    const share = isShared(klass) ? 1 : hottestShardShare(klass, kind, hotShares);
    if (share === undefined) {
      // One entity's own partition (an order, a customer): its load is one journey's, whatever the rate.
      return { what, maxOrdersPerSecond: units <= limit ? Infinity : 0, loadPerOrder: units, limit, adjustable: false, note: 'per entity: does not grow with the order rate' };
    }
    return {
      what,
      maxOrdersPerSecond: limit / (units * share),
      loadPerOrder: units * share,
      limit,
      adjustable: false,
      ...(share !== 1 && { note: shardNote(klass, share) }),
    };
  });
}

/** Every per-account quota's use per order of the mix, and the order rate at which it is reached. */
export function quotaBindings(profiles: JourneyProfile[], mix: Mix, quotas: Quota[]): Binding[] {
  const usage: Required<ServiceUsage> = { apiRequests: 0, lambdaInvocations: 0, lambdaSeconds: 0, snsPublishes: 0, executionsStarted: 0, expressExecutionsStarted: 0, stateTransitions: 0, readUnits: 0, writeUnits: 0 };
  for (const profile of profiles) {
    const weight = mix[profile.name] ?? 0;
    for (const key of Object.keys(usage) as Array<keyof ServiceUsage>) usage[key] += (profile.services[key] ?? 0) * weight;
  }
  return quotas.map((quota) => {
    const loadPerOrder = quota.perOrder(usage);
    return { what: quota.name, maxOrdersPerSecond: loadPerOrder === 0 ? Infinity : quota.limit / loadPerOrder, loadPerOrder, limit: quota.limit, adjustable: quota.adjustable, note: quota.source };
  });
}

/** The order rate the projection aims at (issue 14): every quota below it gets a request number. */
export const TARGET_ORDERS_PER_SECOND = 5000;

/** Headroom over the need when asking for a quota: a peak is not a plateau. */
export const QUOTA_HEADROOM = 1.25;

/** What `ordersPerSecond` needs of a quota, and the number to ask for: the need with headroom, rounded up to two significant digits. */
export function quotaRequest(loadPerOrder: number, ordersPerSecond: number, headroom = QUOTA_HEADROOM): { needed: number; askFor: number } {
  const needed = loadPerOrder * ordersPerSecond;
  const wanted = needed * headroom;
  if (wanted <= 0) return { needed, askFor: 0 };
  const step = 10 ** Math.max(0, Math.floor(Math.log10(wanted)) - 1);
  return { needed, askFor: Math.ceil(wanted / step - 1e-9) * step };
}

/** All bindings, lowest order rate first; every adjustable quota below `target` says what to ask for. */
export function project(profiles: JourneyProfile[], mix: Mix, hotShares: HotShares, quotas: Quota[], target = TARGET_ORDERS_PER_SECOND, showsHot: readonly string[] = []): Binding[] {
  const quotasBound = quotaBindings(profiles, mix, quotas).map((binding) =>
    binding.maxOrdersPerSecond < target ? { ...binding, request: quotaRequest(binding.loadPerOrder, target) } : binding,
  );
  return [...partitionBindings(profiles, mix, hotShares, showsHot), ...quotasBound].sort((a, b) => a.maxOrdersPerSecond - b.maxOrdersPerSecond);
}

/**
 * Default per-account, per-Region quotas that bind an order system, as the AWS quota pages give
 * them for us-east-1 (other Regions are lower for some; read your account's Service Quotas console).
 */
export const DEFAULT_QUOTAS: Quota[] = [
  {
    name: 'API Gateway: requests per second per account (steady)',
    limit: 10_000,
    unit: 'requests/s',
    perOrder: (usage) => usage.apiRequests,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (10,000 rps, burst 5,000)',
  },
  {
    name: 'Lambda: concurrent executions per account',
    limit: 1_000,
    unit: 'concurrent executions',
    perOrder: (usage) => usage.lambdaSeconds,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (1,000; each function also scales by at most 1,000 every 10 s)',
  },
  {
    name: 'Step Functions Standard: StartExecution refill rate',
    limit: 300,
    unit: 'executions/s',
    perOrder: (usage) => usage.executionsStarted,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (bucket 1,300, refill 300/s in us-east-1, us-west-2, eu-west-1; 800/150 elsewhere)',
  },
  {
    name: 'Step Functions Standard: state transitions refill rate',
    limit: 5_000,
    unit: 'transitions/s',
    perOrder: (usage) => usage.stateTransitions,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (bucket 5,000, refill 5,000/s in us-east-1, us-west-2, eu-west-1; 800/500 elsewhere; lower for new accounts)',
  },
  {
    name: 'Step Functions Express: StartExecution refill rate',
    limit: 6_000,
    unit: 'executions/s',
    perOrder: (usage) => usage.expressExecutionsStarted ?? 0,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/express-limits.html (Express StartExecution: bucket 6,000, refill 6,000/s; Express workflows have no state-transition quota)',
  },
  {
    name: 'Lambda: burst (each function scales by 1,000 concurrent executions every 10 s)',
    limit: 100,
    unit: 'concurrent executions gained per second',
    // Reaching the concurrency the rate needs takes need ÷ 100 seconds from cold; a ramp, not a ceiling, so it binds nothing at a steady rate.
    perOrder: () => 0,
    adjustable: false,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html (1,000 every 10 seconds per function; not adjustable; provisioned concurrency pre-warms a known peak)',
  },
  {
    name: 'SQS standard queues: messages per second',
    limit: Infinity,
    unit: 'messages/s',
    perOrder: () => 0,
    adjustable: false,
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html (standard queues: nearly unlimited API calls per second)',
  },
  {
    name: 'SNS: Publish per second per account',
    limit: 30_000,
    unit: 'messages/s',
    perOrder: (usage) => usage.snsPublishes,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/general/latest/gr/sns.html (30,000 in us-east-1; 9,000 in us-west-2 and eu-west-1; less elsewhere)',
  },
  {
    name: 'DynamoDB on-demand: write request units per table',
    limit: 40_000,
    unit: 'WRU/s',
    perOrder: (usage) => usage.writeUnits,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html (40,000 per table, 80,000 per account by default)',
  },
  {
    name: 'DynamoDB on-demand: read request units per table',
    limit: 40_000,
    unit: 'RRU/s',
    perOrder: (usage) => usage.readUnits,
    adjustable: true,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html (40,000 per table, 80,000 per account by default)',
  },
];

/** The lowest order rate any DynamoDB partition allows: what the data model alone permits (quotas can be raised). */
export function partitionBound(bindings: Binding[]): Binding | undefined {
  return bindings.filter((binding) => !binding.adjustable).sort((a, b) => a.maxOrdersPerSecond - b.maxOrdersPerSecond)[0];
}

/**
 * The bench fails when a change to the model lowers the partition-bound order rate by more than
 * `tolerance` against the recorded baseline (bench/scale-baseline.json): the message says which
 * partition binds now.
 */
export function checkScaleBaseline(bindings: Binding[], baseline: { partitionBoundOrdersPerSecond: number }, tolerance = 0.1): string | undefined {
  const bound = partitionBound(bindings);
  if (bound === undefined) return undefined;
  const floor = baseline.partitionBoundOrdersPerSecond * (1 - tolerance);
  if (bound.maxOrdersPerSecond >= floor) return undefined;
  return `The projected order rate fell to ${Math.round(bound.maxOrdersPerSecond)}/s (${bound.what}), more than ${tolerance * 100}% under the baseline ${baseline.partitionBoundOrdersPerSecond}/s in bench/scale-baseline.json`;
}
