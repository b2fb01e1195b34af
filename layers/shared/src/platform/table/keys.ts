import type { OrderStatus } from '../../orders/order.ts';
import type { CursorKey, KeyAttribute } from './pagination.ts';
import { randomShard, shardedPartition } from './sharded-index.ts';

// Every key format of the single table lives here; docs/data-model.md describes the same shapes.

export const ENTITY = {
  product: 'Product',
  stockCounter: 'StockCounter',
  order: 'Order',
  orderLine: 'OrderLine',
  notification: 'Notification',
  reservation: 'StockReservation',
  payment: 'Payment',
  simulatedCharge: 'SimulatedCharge',
} as const;

export const INDEX = {
  /** Overloaded: the catalog (`CATALOG#<shard>`) and each customer's orders (`CUSTOMER#<id>`). */
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', keyAttributes: ['PK', 'SK', 'GSI1PK', 'GSI1SK'] },
  /** Orders by status (`STATUS#<status>#<shard>`), for the admin view. */
  gsi2: { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', keyAttributes: ['PK', 'SK', 'GSI2PK', 'GSI2SK'] },
} as const;

export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK' } as const;

export const PRODUCT_SK = 'PRODUCT';
export const productKey = (productId: string) => ({ PK: `PRODUCT#${productId}`, SK: PRODUCT_SK });
/**
 * A product's stock lives in counter items, each in a partition of its own (a partition takes at
 * most 1,000 write units a second, and the best seller's every order writes its stock twice:
 * docs/scale.md). A reservation takes from one counter drawn at random when it can, so the
 * product's stock writes spread over all of them. Counters carry no index keys: a stock change
 * rewrites no catalog entry. A product's stock is the sum of its counters; a missing counter
 * (a product whose stock was never set) counts 0.
 */
export const STOCK_COUNTERS = 4;
export const STOCK_COUNTER_SK = 'STOCK';
export const stockCounterKey = (productId: string, counter: number) => ({ PK: `STOCK#${productId}#${counter}`, SK: STOCK_COUNTER_SK });
/** Every counter of a product, counter 0 first. */
export const stockCounterKeys = (productId: string) => Array.from({ length: STOCK_COUNTERS }, (_, counter) => stockCounterKey(productId, counter));
/**
 * Products change rarely (an admin's edits), but the catalog is spread over shards all the same:
 * until stock moved to counter items (above) every order rewrote its product's index entry, and
 * one partition would stop at 1,000 writes per second (docs/scale.md). A product keeps the shard
 * it was created in.
 */
export const CATALOG_SHARDS = 16;
export const CATALOG_BASE = 'CATALOG';
export const catalogPartition = (shard: number = randomShard(CATALOG_SHARDS)) => shardedPartition(CATALOG_BASE, shard);
/**
 * Ends the name in a catalog sort key. It sorts below every printable character, so a name sorts
 * before the longer names it begins ("mug" before "mug large"); with `#` there, which sorts above
 * the space, "mug large" came first.
 */
export const CATALOG_NAME_END = '\u001f';
/** Catalog order: by name, case-insensitively, the id breaking ties. */
export const catalogSortKey = (name: string, productId: string) => `PRODUCT#${name.toLowerCase()}${CATALOG_NAME_END}${productId}`;

export const orderPartition = (orderId: string) => `ORDER#${orderId}`;
export const ORDER_HEADER_SK = 'ORDER';
/** Lines sort right after the header (`ORDER`), so one `begins_with(SK, 'ORDER')` reads the whole order. */
export const ORDER_LINE_SK_PREFIX = 'ORDER#LINE#';
export const orderKey = (orderId: string) => ({ PK: orderPartition(orderId), SK: ORDER_HEADER_SK });
/** Zero-padded so lines sort in the order they were placed. */
export const orderLineKey = (orderId: string, index: number) => ({
  PK: orderPartition(orderId),
  SK: `${ORDER_LINE_SK_PREFIX}${String(index).padStart(3, '0')}`,
});

export const customerOrdersPartition = (customerId: string) => `CUSTOMER#${customerId}`;
/** ISO timestamps sort chronologically; the id keeps orders placed in the same millisecond apart. */
export const customerOrdersSortKey = (createdAt: string, orderId: string) => `ORDER#${createdAt}#${orderId}`;

/**
 * Every order enters and leaves the status partitions, so each status is spread over shards
 * (docs/scale.md). Any shard will do, as the admin list reads them all: each status change draws
 * one, here and in statemachine/fulfilment.asl.json (`States.MathRandom(0, 16)`).
 */
export const STATUS_SHARDS = 16;
export const statusPartitionBase = (status: OrderStatus) => `STATUS#${status}`;
export const statusPartition = (status: OrderStatus, shard: number = randomShard(STATUS_SHARDS)) => shardedPartition(statusPartitionBase(status), shard);
export const statusSortKey = (createdAt: string, orderId: string) => `${createdAt}#${orderId}`;

/** Customer notifications sort by time under the order; the event id makes each one unique. */
export const NOTIFICATION_SK_PREFIX = 'NOTIFICATION#';
export const notificationKey = (orderId: string, occurredAt: string, eventId: string) => ({
  PK: orderPartition(orderId),
  SK: `${NOTIFICATION_SK_PREFIX}${occurredAt}#${eventId}`,
});

/** The stock an order holds (one per order): RESERVED, then RELEASED or SHIPPED. */
export const reservationKey = (orderId: string) => ({ PK: orderPartition(orderId), SK: 'RESERVATION' });

/** The order's payment (one per order): CHARGED, then maybe REFUNDED. */
export const paymentKey = (orderId: string) => ({ PK: orderPartition(orderId), SK: 'PAYMENT' });

/** The simulated payment provider's own ledger, keyed by the idempotency key it was called with. */
export const simulatedChargeKey = (idempotencyKey: string) => ({ PK: `SIMULATED_PAYMENT#${idempotencyKey}`, SK: 'CHARGE' });

// The shapes of the key values above, for checking keys that come back from a client: a
// pagination cursor is a LastEvaluatedKey the client could have edited (pagination.ts).
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const TIMESTAMP = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z';
const partition = (shape: RegExp): KeyAttribute => ({ role: 'partition', shape });
const sort = (shape: RegExp): KeyAttribute => ({ role: 'sort', shape });
const productPartition = partition(new RegExp(`^PRODUCT#${UUID}$`));
const orderPartitionShape = partition(new RegExp(`^ORDER#${UUID}$`));

/** The key a cursor of each paged list must have (the table's key plus the index's). */
export const CURSOR_KEYS = {
  catalog: (shard: number): CursorKey => ({
    partition: { attribute: INDEX.gsi1.partitionKey, value: catalogPartition(shard) },
    attributes: {
      [TABLE_KEYS.partitionKey]: productPartition,
      [TABLE_KEYS.sortKey]: sort(/^PRODUCT$/),
      // The name part is free text (lower-cased), so only its frame is checked.
      [INDEX.gsi1.sortKey]: sort(new RegExp(`^PRODUCT#.+${CATALOG_NAME_END}${UUID}$`, 's')),
    },
  }),
  customerOrders: (customerId: string): CursorKey => ({
    partition: { attribute: INDEX.gsi1.partitionKey, value: customerOrdersPartition(customerId) },
    attributes: {
      [TABLE_KEYS.partitionKey]: orderPartitionShape,
      [TABLE_KEYS.sortKey]: sort(new RegExp(`^${ORDER_HEADER_SK}$`)),
      [INDEX.gsi1.sortKey]: sort(new RegExp(`^ORDER#${TIMESTAMP}#${UUID}$`)),
    },
  }),
  ordersByStatus: (status: OrderStatus, shard: number): CursorKey => ({
    partition: { attribute: INDEX.gsi2.partitionKey, value: statusPartition(status, shard) },
    attributes: {
      [TABLE_KEYS.partitionKey]: orderPartitionShape,
      [TABLE_KEYS.sortKey]: sort(new RegExp(`^${ORDER_HEADER_SK}$`)),
      [INDEX.gsi2.sortKey]: sort(new RegExp(`^${TIMESTAMP}#${UUID}$`)),
    },
  }),
};

/**
 * The sort key a sharded list's cursor carries instead of a whole key (sharded-index.ts): the
 * index sort key of the list's entries, as a plain cursor of that index would have it.
 */
export const SHARDED_CURSOR_SORT_KEYS = {
  catalog: CURSOR_KEYS.catalog(0).attributes[INDEX.gsi1.sortKey]!,
  ordersByStatus: CURSOR_KEYS.ordersByStatus('PENDING', 0).attributes[INDEX.gsi2.sortKey]!,
};
