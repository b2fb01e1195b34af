import { describe, expect, it } from 'vitest';
import { itemSize, type KeySchema, partitionClass, readsOf, writesOf } from './partitions.ts';
import {
  cacheMissRatio,
  checkScaleBaseline,
  type JourneyProfile,
  partitionBindings,
  profileAccesses,
  project,
  quotaBindings,
  type Quota,
  quotaRequest,
  withReadCache,
  zipfTopShare,
} from './scale.ts';

const schema: KeySchema = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: { GSI1: { partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }, GSI2: { partitionKey: 'GSI2PK', sortKey: 'GSI2SK' } },
};
const ORDER = 'ORDER#0b4a2c6e-8f1d-4e55-9c1a-3d2b7e6f5a40';

describe('item sizes and the writes an item change causes', () => {
  it('sizes an item as DynamoDB does: names plus values, numbers by significant digits', () => {
    // 'PK' (2) + 'ORDER#1' (7) + 'n' (1) + 12345 (3 digits pairs → 3 + 1 = 4)
    expect(itemSize({ PK: 'ORDER#1', n: 12345 })).toBe(2 + 7 + 1 + 4);
    expect(itemSize({ PK: { S: 'ORDER#1' }, n: { N: '12345' } })).toBe(14);
    // A map: 3 bytes, then per entry 1 byte + its name + its value.
    expect(itemSize({ m: { a: 'xy' } })).toBe(1 + 3 + 1 + 1 + 2);
  });

  it('an update that moves an item to another index partition removes it from one and inserts it into the other', () => {
    const before = { PK: ORDER, SK: 'ORDER', GSI2PK: 'STATUS#PENDING', GSI2SK: 't#1', status: 'PENDING' };
    const after = { ...before, GSI2PK: 'STATUS#CONFIRMED', status: 'CONFIRMED' };
    expect(writesOf({ keys: { PK: ORDER, SK: 'ORDER' }, oldImage: before, newImage: after, transactional: false }, schema)).toEqual([
      { target: 'table', partition: ORDER, kind: 'write', units: 1 },
      { target: 'GSI2', partition: 'STATUS#PENDING', kind: 'write', units: 1 },
      { target: 'GSI2', partition: 'STATUS#CONFIRMED', kind: 'write', units: 1 },
    ]);
  });

  it('a transactional write costs the table twice; an item without an index key writes no index', () => {
    const item = { PK: 'PRODUCT#1', SK: 'PRODUCT', stock: 9, big: 'x'.repeat(1500) };
    expect(writesOf({ keys: { PK: 'PRODUCT#1', SK: 'PRODUCT' }, oldImage: item, newImage: { ...item, stock: 8 }, transactional: true }, schema)).toEqual([
      { target: 'table', partition: 'PRODUCT#1', kind: 'write', units: 4 },
    ]);
  });

  it('reads a query’s partition from its key condition, with the index’s units', () => {
    const input = { TableName: 't', IndexName: 'GSI2', KeyConditionExpression: '#pk = :pk AND GSI2SK > :after', ExpressionAttributeNames: { '#pk': 'GSI2PK' }, ExpressionAttributeValues: { ':pk': 'STATUS#PENDING', ':after': 'x' } };
    expect(readsOf('QueryCommand', input, { CapacityUnits: 1.5, GlobalSecondaryIndexes: { GSI2: { CapacityUnits: 1.5 } } }, schema)).toEqual([
      { target: 'GSI2', partition: 'STATUS#PENDING', kind: 'read', units: 1.5 },
    ]);
  });

  it('names partition classes by replacing ids', () => {
    expect(partitionClass(ORDER)).toBe('ORDER#<id>');
    expect(partitionClass('STATUS#PENDING')).toBe('STATUS#PENDING');
    expect(partitionClass('STATUS#PAYMENT_FAILED#12')).toBe('STATUS#PAYMENT_FAILED#<shard>');
    expect(partitionClass('CATALOG#3')).toBe('CATALOG#<shard>');
    expect(partitionClass('STOCK#0b4a2c6e-8f1d-4e55-9c1a-3d2b7e6f5a41#3')).toBe('STOCK#<id>#<counter>');
    expect(partitionClass(`REQUEST#place-order#${'a'.repeat(32)}`)).toBe('REQUEST#place-order#<hash>');
    expect(partitionClass('REQUEST#place-order#M7DKyolGcKT+1Lx9Qm2w3A==')).toBe('REQUEST#place-order#<hash>');
  });
});

describe('the projection, on a hand-worked journey', () => {
  // One order writes its own partition (4 WCU), moves through two status partitions (1 WCU each)
  // and reserves a product (2 WCU, transactional); a browse reads the catalog (0.5 RCU).
  const order: JourneyProfile = {
    name: 'order',
    accesses: profileAccesses(
      [
        { target: 'table', partition: ORDER, kind: 'write', units: 4 },
        { target: 'GSI2', partition: 'STATUS#PENDING', kind: 'write', units: 1 },
        { target: 'GSI2', partition: 'STATUS#CONFIRMED', kind: 'write', units: 1 },
        { target: 'table', partition: 'PRODUCT#0b4a2c6e-8f1d-4e55-9c1a-3d2b7e6f5a41', kind: 'write', units: 2 },
      ],
      1,
    ),
    services: { apiRequests: 1, lambdaInvocations: 5, lambdaSeconds: 0.25, snsPublishes: 3, executionsStarted: 1, stateTransitions: 7, readUnits: 0, writeUnits: 8 },
  };
  const browse: JourneyProfile = {
    name: 'browse',
    accesses: profileAccesses([{ target: 'GSI1', partition: 'CATALOG', kind: 'read', units: 1 }, { target: 'GSI1', partition: 'CATALOG', kind: 'read', units: 0 }], 2),
    services: { apiRequests: 1, lambdaInvocations: 1, lambdaSeconds: 0.02, snsPublishes: 0, executionsStarted: 0, stateTransitions: 0, readUnits: 0.5, writeUnits: 0 },
  };
  const mix = { order: 1, browse: 10 };

  it('gives every partition class its load per order and the rate at which its hottest partition is full', () => {
    const bindings = Object.fromEntries(partitionBindings([order, browse], mix, { 'PRODUCT#<id>': 0.1 }).map((binding) => [binding.what, binding]));
    // 1000 WCU / 1 WCU per order.
    expect(bindings['GSI2 STATUS#PENDING (write)']?.maxOrdersPerSecond).toBe(1000);
    // 10 browses × 0.5 RCU = 5 RCU per order; 3000 / 5.
    expect(bindings['GSI1 CATALOG (read)']?.maxOrdersPerSecond).toBe(600);
    // The hottest product takes 10% of orders: 0.2 WCU per order; 1000 / 0.2.
    expect(bindings['table PRODUCT#<id> (write)']?.maxOrdersPerSecond).toBeCloseTo(5000);
    // An order's own partition sees one order whatever the rate.
    expect(bindings['table ORDER#<id> (write)']?.maxOrdersPerSecond).toBe(Infinity);
  });

  it('gives one shard of a sharded partition its share of the class', () => {
    const sharded: JourneyProfile = {
      ...order,
      name: 'sharded',
      accesses: profileAccesses([{ target: 'GSI2', partition: 'STATUS#PENDING#3', kind: 'write', units: 16 }], 1),
    };
    const [binding] = partitionBindings([sharded], { sharded: 1 }, {});
    // 16 units per order over 16 shards: 1 per shard; 1000 / 1.
    expect(binding).toMatchObject({ what: 'GSI2 STATUS#PENDING#<shard> (write)', maxOrdersPerSecond: 1000 });
  });

  it('adds the mix’s use of each quota, and puts the lowest first', () => {
    const quotas: Quota[] = [
      { name: 'starts', limit: 300, unit: '/s', perOrder: (usage) => usage.executionsStarted, adjustable: true, source: 'test' },
      { name: 'api', limit: 10_000, unit: '/s', perOrder: (usage) => usage.apiRequests, adjustable: true, source: 'test' },
    ];
    // 1 + 10 × 1 requests per order.
    expect(quotaBindings([order, browse], mix, quotas).map((binding) => [binding.what, binding.maxOrdersPerSecond])).toEqual([
      ['starts', 300],
      ['api', 10_000 / 11],
    ]);
    const [first, second] = project([order, browse], mix, { 'PRODUCT#<id>': 0.1 }, quotas);
    expect([first?.what, second?.what]).toEqual(['starts', 'GSI1 CATALOG (read)']);
  });
});

describe('the catalog cache, the best seller and the quota requests, on a hand-worked case', () => {
  // A browse lists the catalog (16 shards × 0.5 RCU = 8 RCU) and reads one product (0.5 RCU);
  // an order writes its product (2 WCU) and that product's catalog entry (1 WCU).
  const browse: JourneyProfile = {
    name: 'browse',
    accesses: profileAccesses(
      [
        ...Array.from({ length: 16 }, (_, shard) => ({ target: 'GSI1', partition: `CATALOG#${shard}`, kind: 'read' as const, units: 0.5 })),
        { target: 'table', partition: 'PRODUCT#0b4a2c6e-8f1d-4e55-9c1a-3d2b7e6f5a41', kind: 'read', units: 0.5 },
      ],
      1,
    ),
    services: { apiRequests: 2, lambdaInvocations: 2, lambdaSeconds: 0.04, snsPublishes: 0, executionsStarted: 0, stateTransitions: 0, readUnits: 2, writeUnits: 0 },
  };
  const order: JourneyProfile = {
    name: 'order',
    accesses: profileAccesses(
      [
        { target: 'table', partition: 'PRODUCT#0b4a2c6e-8f1d-4e55-9c1a-3d2b7e6f5a41', kind: 'write', units: 2 },
        { target: 'GSI1', partition: 'CATALOG#5', kind: 'write', units: 1 },
      ],
      1,
    ),
    services: { apiRequests: 1, lambdaInvocations: 4, lambdaSeconds: 0.2, snsPublishes: 3, executionsStarted: 1, expressExecutionsStarted: 1, stateTransitions: 4, readUnits: 0, writeUnits: 3 },
  };
  // 20 ms per request, 2 environments per concurrent execution, 5 pages, 10 s: 2 × 0.02 × 5 / 10 = 2%.
  const cache = { journey: 'browse', partitionClasses: ['CATALOG#<shard>'], maxAgeSeconds: 10, pages: 5, environmentsPerConcurrency: 2, secondsPerRequest: 0.02 };

  it('lets through environments × pages ÷ maxAge reads a second: a share of the lists that does not grow with the rate', () => {
    expect(cacheMissRatio(cache)).toBeCloseTo(0.02);
    // Never more than every read.
    expect(cacheMissRatio({ ...cache, maxAgeSeconds: 0.1 })).toBe(1);
  });

  it('takes the hits off the browse’s catalog reads and off the table’s read units, and nothing else', () => {
    const [cached, untouched] = withReadCache([browse, order], cache);
    const units = Object.fromEntries(cached!.accesses.map((access) => [`${access.target} ${access.partitionClass} ${access.kind}`, access.units]));
    // 8 RCU × 2%.
    expect(units['GSI1 CATALOG#<shard> read']).toBeCloseTo(0.16);
    expect(units['table PRODUCT#<id> read']).toBe(0.5);
    // The larger of measured (2) and counted (8.5) read units, less the hits' 8 × 98% = 7.84.
    expect(cached!.services.readUnits).toBeCloseTo(0.66);
    expect(untouched).toBe(order);
  });

  it('gives the best seller its Zipf share, and the catalog shard that holds it that share plus an even part of the rest', () => {
    // 1 / (1 + 1/2 + 1/3 + 1/4) = 12/25.
    expect(zipfTopShare(4)).toBeCloseTo(0.48);
    const hot = { 'PRODUCT#<id>': 0.48 };
    const bindings = Object.fromEntries(partitionBindings([order, browse], { order: 1, browse: 10 }, hot).map((binding) => [binding.what, binding]));
    // 2 WCU × 48% = 0.96 per order: 1000 / 0.96.
    expect(bindings['table PRODUCT#<id> (write)']?.maxOrdersPerSecond).toBeCloseTo(1041.67, 1);
    // 1 WCU × (0.48 + 0.52 / 16) = 0.5125: 1000 / 0.5125.
    expect(bindings['GSI1 CATALOG#<shard> (write)']?.maxOrdersPerSecond).toBeCloseTo(1951.22, 1);
    // Reads stay even: every list reads every shard. 10 × 8 / 16 = 5 RCU per shard: 3000 / 5.
    expect(bindings['GSI1 CATALOG#<shard> (read)']?.maxOrdersPerSecond).toBe(600);
  });

  it('asks for each quota the target rate needs, with 25% headroom, rounded up to two significant digits', () => {
    // 1 execution × 5,000/s = 5,000; × 1.25 = 6,250 → 6,300.
    expect(quotaRequest(1, 5000)).toEqual({ needed: 5000, askFor: 6300 });
    // 24 requests × 5,000 = 120,000; × 1.25 = 150,000.
    expect(quotaRequest(24, 5000)).toEqual({ needed: 120_000, askFor: 150_000 });
    const quotas: Quota[] = [
      { name: 'starts', limit: 300, unit: '/s', perOrder: (usage) => usage.executionsStarted, adjustable: true, source: 'test' },
      { name: 'express starts', limit: 6000, unit: '/s', perOrder: (usage) => usage.expressExecutionsStarted ?? 0, adjustable: true, source: 'test' },
    ];
    const projected = Object.fromEntries(project([order], { order: 1 }, {}, quotas, 5000).map((binding) => [binding.what, binding]));
    expect(projected.starts?.request).toEqual({ needed: 5000, askFor: 6300 });
    // Above the target: nothing to ask for.
    expect(projected['express starts']).toMatchObject({ maxOrdersPerSecond: 6000 });
    expect(projected['express starts']?.request).toBeUndefined();
  });
});

describe('the scale baseline', () => {
  const binding = (what: string, maxOrdersPerSecond: number, adjustable = false) => ({ what, maxOrdersPerSecond, loadPerOrder: 1, limit: 1000, adjustable });

  it('fails when the partition-bound rate drops more than 10% under the baseline, naming the partition', () => {
    const bindings = [binding('quota', 100, true), binding('GSI2 STATUS#PENDING (write)', 899)];
    expect(checkScaleBaseline(bindings, { partitionBoundOrdersPerSecond: 1000 })).toMatch(/fell to 899\/s \(GSI2 STATUS#PENDING \(write\)\)/);
  });

  it('passes within 10%, and ignores quotas (they are raised by request)', () => {
    expect(checkScaleBaseline([binding('quota', 1, true), binding('partition', 900)], { partitionBoundOrdersPerSecond: 1000 })).toBeUndefined();
  });
});

describe("the best seller's stock counters, on a hand-worked case", () => {
  const A = '0b4a2c6e-8f1d-4e55-9c1a-3d2b7e6f5a41';
  const B = '1c5b3d7f-9a2e-4f66-8d2b-4e3c8f7a6b52';
  const C = '2d6c4e8a-ab3f-4a77-9e3c-5f4d9a8b7c63';
  const counters = (id: string, units: number) => Array.from({ length: 4 }, (_, counter) => ({ target: 'table', partition: `STOCK#${id}#${counter}`, kind: 'read' as const, units }));
  const services = { apiRequests: 1, lambdaInvocations: 1, lambdaSeconds: 0.02, snsPublishes: 0, executionsStarted: 0, stateTransitions: 0, readUnits: 0, writeUnits: 0 };
  // An order of A reads its 4 counters (0.5 RCU each) and reserves from, then ships from, one of them (2 + 2 WCU).
  const order: JourneyProfile = {
    name: 'order',
    accesses: profileAccesses([...counters(A, 0.5), { target: 'table', partition: `STOCK#${A}#2`, kind: 'write', units: 4 }], 1),
    services,
  };
  // A catalog page of A, B and C reads their 12 counters.
  const browse: JourneyProfile = { name: 'browse', accesses: profileAccesses([...counters(A, 0.5), ...counters(B, 0.5), ...counters(C, 0.5)], 1), services };

  it('counts the products a journey touched', () => {
    expect(browse.accesses).toEqual([{ target: 'table', partitionClass: 'STOCK#<id>#<counter>', kind: 'read', units: 6, entities: 3 }]);
    expect(order.accesses.find((access) => access.kind === 'read')).not.toHaveProperty('entities');
  });

  it('puts on one counter its share of the best seller’s writes, and of every catalog page that shows it', () => {
    const bindings = Object.fromEntries(
      partitionBindings([order, browse], { order: 1, browse: 10 }, { 'STOCK#<id>#<counter>': 0.1 }, ['browse']).map((binding) => [binding.what, binding]),
    );
    // 4 WCU on one of 4 counters, 10% of orders: 0.1 WCU per order; 1000 / 0.1.
    expect(bindings['table STOCK#<id>#<counter> (write)']).toMatchObject({ maxOrdersPerSecond: 10_000, loadPerOrder: 0.1 });
    expect(bindings['table STOCK#<id>#<counter> (write)']?.note).toBe('the best seller (10% of orders); one of its 4 partitions; read by every browse');
    // Orders: 2 RCU over 4 counters × 10% = 0.05; pages: 6 RCU over 3 products × 4 counters, every page, 10 pages = 5.
    expect(bindings['table STOCK#<id>#<counter> (read)']?.loadPerOrder).toBeCloseTo(5.05);
    expect(bindings['table STOCK#<id>#<counter> (read)']?.maxOrdersPerSecond).toBeCloseTo(3000 / 5.05);
    // Without a journey that shows it, pages touch it in proportion to its sales like orders do.
    const proportional = partitionBindings([order, browse], { order: 1, browse: 10 }, { 'STOCK#<id>#<counter>': 0.1 }).find((binding) => binding.what === 'table STOCK#<id>#<counter> (read)');
    expect(proportional?.loadPerOrder).toBeCloseTo(0.55);
  });
});
