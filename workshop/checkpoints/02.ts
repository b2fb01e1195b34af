import type { CheckpointContext, CheckpointResult } from './context.ts';
import { newestProductNamed, ordersOfProduct, quantityOf, tableReader, unitsOf } from './product-orders.ts';

/** The product module 2 creates (workshop/02-data-model.md, "Set up"). */
export const RACE_PRODUCT = 'Workshop race mug';
const CATALOG_SHARD = /^CATALOG#(?:[0-9]|1[0-5])$/;

/**
 * Module 2 leaves the race run and tidied up: alice's orders raced for the race mug's last
 * units, the reservation transaction refused at least one for stock, no more units were ever
 * held than the product has, every order that held a unit was cancelled (so every unit is back
 * in stock), and the product sits in one of the catalog's 16 index shards.
 */
export default async function checkpoint(cloud: CheckpointContext): Promise<CheckpointResult> {
  const page = 'workshop/02-data-model.md';
  const product = await newestProductNamed(cloud, RACE_PRODUCT);
  if (product === undefined) return { ok: false, reason: `no product named "${RACE_PRODUCT}" yet: run ${page} from "Set up: a product of your own"` };

  const read = tableReader(cloud);
  const item = await read(`PRODUCT#${product.productId}`, 'PRODUCT');
  if (typeof item?.GSI1PK !== 'string' || !CATALOG_SHARD.test(item.GSI1PK)) {
    return { ok: false, reason: `"${RACE_PRODUCT}" is not in a catalog shard CATALOG#0..15 (GSI1PK ${String(item?.GSI1PK)}): GET /products would not list it` };
  }

  const alice = await cloud.signedIn('alice');
  const orders = await ordersOfProduct(alice, product.productId, product.createdAt);
  if (orders.length === 0) return { ok: false, reason: `alice has no order of "${RACE_PRODUCT}" yet: run ${page}, "Race for the last units"` };
  const refused = orders.filter((order) => order.status === 'REJECTED' && order.statusReason?.startsWith('Not enough stock'));
  if (refused.length === 0) {
    return { ok: false, reason: `no order of "${RACE_PRODUCT}" was refused for stock: the race has not run yet (${page}, "Race for the last units")` };
  }
  const pending = orders.filter((order) => order.status === 'PENDING');
  if (pending.length > 0) return { ok: false, reason: `${pending.length} order(s) of "${RACE_PRODUCT}" still PENDING: their sagas are running, check again in a few seconds` };
  const holding = orders.filter((order) => order.status === 'CONFIRMED');
  if (holding.length > 0) {
    return { ok: false, reason: `${holding.length} order(s) of "${RACE_PRODUCT}" still hold stock (CONFIRMED): run ${page}, "Tidy up", which cancels them` };
  }

  const units = await unitsOf(read, product.productId);
  if (units === undefined) return { ok: false, reason: `"${RACE_PRODUCT}" has no item PRODUCT#${product.productId} in ${cloud.table}` };
  const total = units.stock + units.reserved + units.shipped;
  if (units.stock < 0 || units.reserved !== 0) {
    return { ok: false, reason: `"${RACE_PRODUCT}" counts stock ${units.stock}, reserved ${units.reserved}: with every order settled, nothing may stay reserved` };
  }
  // Every order that was not refused held its units at some point (then shipped, or released by a cancel).
  const held = orders.filter((order) => order.status !== 'REJECTED' && order.status !== 'PAYMENT_FAILED').reduce((sum, order) => sum + quantityOf(order, product.productId), 0);
  if (held > total) return { ok: false, reason: `"${RACE_PRODUCT}" was oversold: its orders held ${held} units of ${total}` };

  return {
    ok: true,
    summary: `${orders.length} orders raced for ${total} "${RACE_PRODUCT}" units, ${refused.length} refused for stock, none oversold; every unit is back in stock (${units.stock}), the product in index shard ${item.GSI1PK}.`,
  };
}
