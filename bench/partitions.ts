/**
 * Which DynamoDB partition every read and write of a journey touched, and with how many
 * capacity units: the input of the scale projection (bench/scale.ts, docs/scale.md).
 *
 * - **Reads** come from the SDK calls the functions and the state machine made (the key or key
 *   condition of each call, the capacity DynamoDB reported for the table and for the index).
 * - **Writes** come from the table's stream (old and new image of every item written), because
 *   a write to an index depends on the item's index keys before and after, which a request does
 *   not show: an update that changes an item's index partition key removes it from the old index
 *   partition and inserts it into the new one, two index writes.
 *
 * Units follow DynamoDB's published rules (the write of an item costs 1 WCU per KB of the larger
 * of its old and new size, doubled inside a transaction; an index write costs 1 WCU per KB of
 * the projected item), with item sizes computed as DynamoDB does
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
 */

/** A table's key attributes and its indexes' partition and sort key attributes (all projections ALL). */
export interface KeySchema {
  partitionKey: string;
  sortKey: string;
  indexes: Record<string, { partitionKey: string; sortKey: string }>;
}

/** One touch of one partition: `target` is `table` or an index name. */
export interface PartitionAccess {
  target: string;
  partition: string;
  kind: 'read' | 'write';
  units: number;
}

type Native = string | number | boolean | null | undefined | Native[] | { [key: string]: Native };
/** A value in DynamoDB's wire form (`{ S: 'x' }`) or a document client's native form. */
type AnyValue = unknown;

const WIRE_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

function isWire(value: AnyValue): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && WIRE_TYPES.has(keys[0]!);
}

/** The plain value of a wire-form or native attribute value. */
export function plain(value: AnyValue): Native {
  if (!isWire(value)) return value as Native;
  const [type, inner] = Object.entries(value)[0]!;
  switch (type) {
    case 'N':
      return Number(inner);
    case 'M':
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
    case 'L':
      return (inner as unknown[]).map(plain);
    case 'NULL':
      return null;
    default:
      return inner as Native;
  }
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** Bytes of one attribute value, by DynamoDB's sizing rules (numbers: about 1 byte per 2 significant digits, plus 1). */
export function valueSize(value: Native): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, element) => sum + 1 + valueSize(element), 0);
  return 3 + Object.entries(value).reduce((sum, [name, element]) => sum + 1 + utf8(name) + valueSize(element), 0);
}

/** Bytes of an item: every attribute's name and value. */
export function itemSize(item: Record<string, AnyValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(plain(value)), 0);
}

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** A stream record's change, as DynamoDB Streams gives it (`NEW_AND_OLD_IMAGES`). */
export interface ItemChange {
  keys: Record<string, AnyValue>;
  oldImage?: Record<string, AnyValue>;
  newImage?: Record<string, AnyValue>;
  /** Written inside TransactWriteItems: the table write costs twice. */
  transactional: boolean;
}

function indexKeyOf(image: Record<string, AnyValue> | undefined, index: { partitionKey: string; sortKey: string }) {
  if (image === undefined) return undefined;
  const partition = plain(image[index.partitionKey]);
  const sort = plain(image[index.sortKey]);
  // An item is in an index only when it has both of the index's key attributes.
  if (partition === undefined || sort === undefined) return undefined;
  return { partition: String(partition), sort: String(sort) };
}

/** The table and index writes one item change caused. */
export function writesOf(change: ItemChange, schema: KeySchema): PartitionAccess[] {
  const partition = String(plain(change.keys[schema.partitionKey]));
  const oldSize = change.oldImage === undefined ? 0 : itemSize(change.oldImage);
  const newSize = change.newImage === undefined ? 0 : itemSize(change.newImage);
  const accesses: PartitionAccess[] = [
    { target: 'table', partition, kind: 'write', units: writeUnits(Math.max(oldSize, newSize)) * (change.transactional ? 2 : 1) },
  ];
  for (const [name, index] of Object.entries(schema.indexes)) {
    const before = indexKeyOf(change.oldImage, index);
    const after = indexKeyOf(change.newImage, index);
    if (before !== undefined && after !== undefined && before.partition === after.partition && before.sort === after.sort) {
      // Projection ALL: any change to the item rewrites its index entry in place.
      accesses.push({ target: name, partition: after.partition, kind: 'write', units: writeUnits(newSize) });
      continue;
    }
    if (before !== undefined) accesses.push({ target: name, partition: before.partition, kind: 'write', units: writeUnits(oldSize) });
    if (after !== undefined) accesses.push({ target: name, partition: after.partition, kind: 'write', units: writeUnits(newSize) });
  }
  return accesses;
}

/** The partition a key condition fixes: the value of `<partition key> = :value`. */
function partitionOfCondition(input: Record<string, unknown>, partitionKey: string): string | undefined {
  const condition = String(input.KeyConditionExpression ?? '');
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, AnyValue>;
  for (const match of condition.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const attribute = match[1]!.startsWith('#') ? names[match[1]!] : match[1];
    if (attribute === partitionKey) return String(plain(values[match[2]!]));
  }
  return undefined;
}

interface Capacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/**
 * The partitions a read call touched, with the units DynamoDB reported for it (asked for with
 * `ReturnConsumedCapacity: 'INDEXES'`); a batch's units are shared equally by its keys.
 */
export function readsOf(command: string, input: Record<string, unknown>, consumed: Capacity | Capacity[] | undefined, schema: KeySchema): PartitionAccess[] {
  const capacity = Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed];
  // DynamoDB charges a read at least 0.5 unit (1 when strongly consistent), even when it finds
  // nothing; DynamoDB Local reports 0 for an empty result.
  const minimum = input.ConsistentRead === true ? 1 : 0.5;
  const units = (target: string) => Math.max(minimum, reported(target));
  const reported = (target: string) =>
    capacity.reduce((sum, entry) => sum + (target === 'table' ? (entry.Table?.CapacityUnits ?? (entry.GlobalSecondaryIndexes === undefined ? (entry.CapacityUnits ?? 0) : 0)) : (entry.GlobalSecondaryIndexes?.[target]?.CapacityUnits ?? 0)), 0);
  switch (command) {
    case 'GetItemCommand':
    case 'GetCommand':
      return [{ target: 'table', partition: String(plain((input.Key as Record<string, AnyValue>)[schema.partitionKey])), kind: 'read', units: units('table') }];
    case 'QueryCommand': {
      const target = typeof input.IndexName === 'string' ? input.IndexName : 'table';
      const partitionKey = target === 'table' ? schema.partitionKey : schema.indexes[target]?.partitionKey;
      const partition = partitionKey === undefined ? undefined : partitionOfCondition(input, partitionKey);
      return partition === undefined ? [] : [{ target, partition, kind: 'read', units: units(target) }];
    }
    case 'BatchGetItemCommand':
    case 'BatchGetCommand': {
      const keys = Object.values(input.RequestItems as Record<string, { Keys: Array<Record<string, AnyValue>> }>).flatMap((request) => request.Keys);
      const total = units('table');
      return keys.map((key) => ({ target: 'table', partition: String(plain(key[schema.partitionKey])), kind: 'read' as const, units: total / keys.length }));
    }
    case 'TransactGetItemsCommand':
    case 'TransactGetCommand': {
      const keys = (input.TransactItems as Array<{ Get: { Key: Record<string, AnyValue> } }>).map((item) => item.Get.Key);
      const total = units('table');
      return keys.map((key) => ({ target: 'table', partition: String(plain(key[schema.partitionKey])), kind: 'read' as const, units: total / keys.length }));
    }
    default:
      return [];
  }
}

/** The (partition key, sort key) of every item a TransactWriteItems call writes (their table writes cost double). */
export function transactionalKeys(input: Record<string, unknown>, schema: KeySchema): string[] {
  const items = (input.TransactItems ?? []) as Array<Record<string, { Key?: Record<string, AnyValue>; Item?: Record<string, AnyValue> }>>;
  return items.flatMap((entry) =>
    Object.entries(entry)
      .filter(([operation]) => operation !== 'ConditionCheck')
      .map(([, request]) => {
        const key = request.Key ?? request.Item ?? {};
        return itemKey(key, schema);
      }),
  );
}

/** A stable string for an item's primary key. */
export function itemKey(key: Record<string, AnyValue>, schema: KeySchema): string {
  return `${String(plain(key[schema.partitionKey]))}|${String(plain(key[schema.sortKey]))}`;
}

/**
 * The class of a partition key value: ids (UUIDs, Cognito subs, hashes) become placeholders, so
 * every order's partition is `ORDER#<id>` and the shared ones stay as they are (`STATUS#PENDING`).
 */
export function partitionClass(partition: string): string {
  return partition
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/\b[0-9a-f]{32,64}\b/gi, '<hash>')
    // A hash in base64 as the last part (a key that hashes what it names).
    .replace(/#[A-Za-z0-9+/=_-]{20,}$/, '#<hash>')
    // A shard number as the last part of an index partition (platform/table/sharded-index.ts).
    .replace(/^((?:STATUS#[A-Z_]+)|CATALOG)#\d{1,3}$/, '$1#<shard>')
    // One of a product's stock counters (platform/table/keys.ts, STOCK_COUNTERS).
    .replace(/^STOCK#<id>#\d{1,3}$/, 'STOCK#<id>#<counter>');
}
