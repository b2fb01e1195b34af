/**
 * The scale projection (docs/scale.md): from measured journeys (what one order, one catalog
 * browse, one admin listing… touched, per partition class and per AWS service), the load each
 * partition and each per-account quota takes at a given order rate, and the order rate at
 * which each reaches its limit. The lowest is where the system stops.
 */
import { CATALOG_SHARDS, STATUS_SHARDS } from '../layers/shared/src/platform/table/keys.ts';
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

/** DynamoDB's per-partition throughput (table and every index alike). */
export const PARTITION_LIMITS = { read: 3000, write: 1000 } as const;

/** One measured kind of traffic, divided by the number of times it was measured. */
export interface JourneyProfile {
  name: string;
  /** Partition accesses per journey (units per partition class). */
  accesses: Array<{ target: string; partitionClass: string; kind: 'read' | 'write'; units: number }>;
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
  /** Orders per second at which it reaches its limit (Infinity: it never does). */
  maxOrdersPerSecond: number;
  loadPerOrder: number;
  limit: number;
  adjustable: boolean;
  note?: string;
}

/** Sums partition accesses into units per partition class (per journey when divided by `count`). */
export function profileAccesses(accesses: PartitionAccess[], count: number): JourneyProfile['accesses'] {
  const totals = new Map<string, { target: string; partitionClass: string; kind: 'read' | 'write'; units: number }>();
  for (const access of accesses) {
    const klass = partitionClass(access.partition);
    const key = `${access.target}|${klass}|${access.kind}`;
    const entry = totals.get(key) ?? { target: access.target, partitionClass: klass, kind: access.kind, units: 0 };
    entry.units += access.units;
    totals.set(key, entry);
  }
  return [...totals.values()].map((entry) => ({ ...entry, units: entry.units / count })).sort((a, b) => b.units - a.units);
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

/** Every partition class's load per order of the mix, and the order rate at which its hottest partition reaches DynamoDB's limit. */
export function partitionBindings(profiles: JourneyProfile[], mix: Mix, hotShares: HotShares): Binding[] {
  const perOrder = mixed(profiles, mix, (profile) => profile.accesses, (into, access, weight) => {
    const key = `${access.target} ${access.partitionClass} (${access.kind})`;
    into.set(key, (into.get(key) ?? 0) + access.units * weight);
  });
  return [...perOrder.entries()].map(([what, units]) => {
    const kind = what.endsWith('(read)') ? 'read' : 'write';
    const klass = what.split(' ')[1]!;
    const limit = PARTITION_LIMITS[kind];
    const share = isShared(klass) ? 1 : (shardShare(klass) ?? hotShares[klass]);
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
      ...(share !== 1 && { note: shardShare(klass) === undefined ? `the hottest ${klass} takes ${share * 100}% of orders` : `one of ${Math.round(1 / share)} shards` }),
    };
  });
}

/** Every per-account quota's use per order of the mix, and the order rate at which it is reached. */
export function quotaBindings(profiles: JourneyProfile[], mix: Mix, quotas: Quota[]): Binding[] {
  const usage: ServiceUsage = { apiRequests: 0, lambdaInvocations: 0, lambdaSeconds: 0, snsPublishes: 0, executionsStarted: 0, stateTransitions: 0, readUnits: 0, writeUnits: 0 };
  for (const profile of profiles) {
    const weight = mix[profile.name] ?? 0;
    for (const key of Object.keys(usage) as Array<keyof ServiceUsage>) usage[key] += profile.services[key] * weight;
  }
  return quotas.map((quota) => {
    const loadPerOrder = quota.perOrder(usage);
    return { what: quota.name, maxOrdersPerSecond: loadPerOrder === 0 ? Infinity : quota.limit / loadPerOrder, loadPerOrder, limit: quota.limit, adjustable: quota.adjustable, note: quota.source };
  });
}

/** All bindings, lowest order rate first. */
export function project(profiles: JourneyProfile[], mix: Mix, hotShares: HotShares, quotas: Quota[]): Binding[] {
  return [...partitionBindings(profiles, mix, hotShares), ...quotaBindings(profiles, mix, quotas)].sort((a, b) => a.maxOrdersPerSecond - b.maxOrdersPerSecond);
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
