import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { CheckpointContext, CheckpointResult } from './context.ts';
import { newestProductNamed, type Order, ordersOfProduct, quantityOf, tableReader, unitsOf } from './product-orders.ts';

/** The product module 4 creates (workshop/04-saga.md, "Set up"). */
export const SAGA_PRODUCT = 'Workshop saga kettle';

type Read = ReturnType<typeof tableReader>;
const statusOf = async (read: Read, orderId: string, item: 'PAYMENT' | 'RESERVATION') => (await read(`ORDER#${orderId}`, item))?.status;

/**
 * Module 4 leaves one order of the saga kettle down every path, each ended as the saga says:
 * shipped, rejected for stock (never charged), declined (payment voided or refunded, stock
 * released), paid after retries (three attempts, one charge), cancelled while waiting (refunded,
 * released). No saga failed, and the kettle's counters match its orders: what is reserved is
 * what confirmed orders hold, what is shipped is what shipped orders took.
 */
export default async function checkpoint(cloud: CheckpointContext): Promise<CheckpointResult> {
  const page = 'workshop/04-saga.md';
  const product = await newestProductNamed(cloud, SAGA_PRODUCT);
  if (product === undefined) return { ok: false, reason: `no product named "${SAGA_PRODUCT}" yet: run ${page} from "Set up"` };
  const alice = await cloud.signedIn('alice');
  const orders = await ordersOfProduct(alice, product.productId, product.createdAt);
  const pending = orders.filter((order) => order.status === 'PENDING');
  if (pending.length > 0) return { ok: false, reason: `${pending.length} order(s) of "${SAGA_PRODUCT}" still PENDING: their sagas are running, check again in a few seconds` };

  const read = tableReader(cloud);
  const paths: Array<{ path: string; taken: (order: Order) => Promise<boolean> }> = [
    { path: 'shipped', taken: async (order) => order.status === 'SHIPPED' },
    { path: 'out of stock', taken: async (order) => order.status === 'REJECTED' && (await statusOf(read, order.orderId, 'PAYMENT')) === undefined },
    {
      path: 'declined (tok_decline)',
      taken: async (order) =>
        order.status === 'PAYMENT_FAILED' &&
        ['VOIDED', 'REFUNDED'].includes(String(await statusOf(read, order.orderId, 'PAYMENT'))) &&
        (await statusOf(read, order.orderId, 'RESERVATION')) === 'RELEASED',
    },
    {
      path: 'retried payment (tok_transient)',
      taken: async (order) =>
        order.paymentMethod === 'tok_transient' &&
        ['CONFIRMED', 'SHIPPED'].includes(order.status) &&
        Number((await read(`SIMULATED_PAYMENT#${order.orderId}`, 'CHARGE'))?.attempts ?? 0) >= 3,
    },
    {
      path: 'cancelled while waiting',
      taken: async (order) =>
        order.status === 'CANCELLED' &&
        (await statusOf(read, order.orderId, 'PAYMENT')) === 'REFUNDED' &&
        (await statusOf(read, order.orderId, 'RESERVATION')) === 'RELEASED',
    },
  ];
  const missing: string[] = [];
  for (const { path, taken } of paths) {
    let found = false;
    for (const order of orders) if (!found && (await taken(order))) found = true;
    if (!found) missing.push(path);
  }
  if (missing.length > 0) return { ok: false, reason: `no order of "${SAGA_PRODUCT}" has taken these paths yet: ${missing.join(', ')} (${page})` };

  const sfn = cloud.client(SFNClient);
  const executionArnOf = (orderId: string) => `${cloud.cloud.stateMachineArns.FulfilmentStateMachine!.replace(':stateMachine:', ':execution:')}:${orderId}`;
  for (const order of orders) {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(order.orderId) }));
    if (status !== 'SUCCEEDED' && status !== 'RUNNING') return { ok: false, reason: `the saga of order ${order.orderId} is ${status}: npm run executions -- ${order.orderId}` };
  }

  const units = await unitsOf(read, product.productId);
  if (units === undefined) return { ok: false, reason: `"${SAGA_PRODUCT}" has no item PRODUCT#${product.productId} in ${cloud.table}` };
  const held = (status: string) => orders.filter((order) => order.status === status).reduce((sum, order) => sum + quantityOf(order, product.productId), 0);
  if (units.reserved !== held('CONFIRMED') || units.shipped !== held('SHIPPED')) {
    return {
      ok: false,
      reason: `"${SAGA_PRODUCT}" counts ${units.reserved} reserved and ${units.shipped} shipped, but its confirmed orders hold ${held('CONFIRMED')} and its shipped orders took ${held('SHIPPED')}: a compensation did not run`,
    };
  }
  return {
    ok: true,
    summary: `"${SAGA_PRODUCT}" went down every path (shipped, out of stock, declined, retried payment, cancelled while waiting); every compensation ran, ${units.shipped} shipped, ${units.reserved} reserved, ${units.stock} in stock.`,
  };
}
