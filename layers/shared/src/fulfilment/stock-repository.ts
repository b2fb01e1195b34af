import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { batchGetAll } from '../platform/table/batch-get.ts';
import { cancellationCodes } from '../platform/table/conditional-write.ts';
import { ENTITY, orderKey, reservationKey, STOCK_COUNTERS, stockCounterKey, stockCounterKeys } from '../platform/table/keys.ts';
import { statusChange } from '../orders/order.ts';
import { statusUpdate, type WriteContext } from '../orders/order-repository.ts';
import { OutOfStockError } from './errors.ts';
import { guessTakes, planTakes, type ReservedLine, type StockTake } from './stock-plan.ts';

export type { ReservedLine, StockTake } from './stock-plan.ts';

export type ReservationStatus = 'RESERVED' | 'RELEASED' | 'SHIPPED';

/** How often `reserve` re-reads the counters and plans again when other orders took the units it planned on. */
export const MAX_RESERVE_ATTEMPTS = 5;
/** A transaction writes at most 100 items: the reservation, and on shipment the order header, leave 98 for counters. */
const MAX_TAKES = 98;

const randomCounter = () => Math.floor(Math.random() * STOCK_COUNTERS);

type Attempt = { kind: 'reserved' } | { kind: 'already-reserved' } | { kind: 'raced'; error: unknown };

/**
 * Stock bookkeeping. A product's stock is split over `STOCK_COUNTERS` counter items, each in a
 * partition of its own (platform/table/keys.ts), and in each counter every unit is in exactly
 * one of three attributes: `stock` (available), `reserved` (held by orders being fulfilled) and
 * `shipped`. Every move between them happens in one transaction together with the order's
 * reservation record, whose status makes each move happen at most once however often it is
 * retried; the record names the counters its units came from (`takes`), so a release or a
 * shipment moves them in those same counters.
 */
export class StockRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reservationOf(orderId: string): Promise<{ status: ReservationStatus; lines: ReservedLine[]; takes: StockTake[] } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: reservationKey(orderId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    // Records written before stock moved to counters have no takes; nothing can tell which counters to move them in.
    if (!Array.isArray(Item.takes)) throw new Error(`The reservation of order ${orderId} has no takes (written before stock counters): re-seed the table`);
    return { status: Item.status as ReservationStatus, lines: Item.lines as ReservedLine[], takes: Item.takes as StockTake[] };
  }

  /**
   * Takes every line's quantity from `stock` into `reserved`, all or nothing, in one
   * transaction with the reservation record: each counter written has the condition
   * `stock >= take`, so no counter goes negative (no overselling, however many orders race for
   * the last units). The first attempt reads nothing: each product's whole quantity from one
   * counter drawn at random (`guessTakes`), right whenever stock is plentiful. When a counter
   * holds less (the guess was wrong, or another order took the units first), it reads the
   * counters, strongly consistent, plans again (`planTakes`: one counter that holds it all,
   * else split across counters) and retries, at most `MAX_RESERVE_ATTEMPTS` times in all.
   * Throws OutOfStockError when a product's counters hold less than the order asks in all;
   * returns false if the order already holds its reservation (a retry).
   */
  async reserve(orderId: string, lines: readonly ReservedLine[], now: string): Promise<boolean> {
    let takes = guessTakes(lines, randomCounter);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.tryReserve(orderId, lines, takes, now);
      if (outcome.kind !== 'raced') return outcome.kind === 'reserved';
      const available = await this.availableUnits(lines.map((line) => line.productId));
      const plan = planTakes(lines, (productId) => available.get(productId) ?? [], STOCK_COUNTERS, randomCounter);
      if ('short' in plan) throw new OutOfStockError(`Not enough stock for ${plan.short.join(', ')}`);
      // Still racing after every attempt: the transaction's error is transient, and the state machine retries the task.
      if (attempt >= MAX_RESERVE_ATTEMPTS) throw outcome.error;
      if (plan.takes.length > MAX_TAKES) {
        throw new Error(`Order ${orderId} would take stock from ${plan.takes.length} counters, more than one transaction can write (${MAX_TAKES})`);
      }
      takes = plan.takes;
    }
  }

  /** One reservation transaction: done, the order already held its reservation, or a counter raced (with the transaction's error). */
  private async tryReserve(orderId: string, lines: readonly ReservedLine[], takes: readonly StockTake[], now: string): Promise<Attempt> {
    const reservationIndex = takes.length;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...takes.map((take) => ({
              Update: {
                TableName: this.tableName,
                Key: stockCounterKey(take.productId, take.counter),
                UpdateExpression: 'SET stock = stock - :quantity, reserved = if_not_exists(reserved, :zero) + :quantity',
                // False on a counter that does not exist (no `stock`): a product whose stock was never set has none.
                ConditionExpression: 'stock >= :quantity',
                ExpressionAttributeValues: { ':quantity': take.quantity, ':zero': 0 },
              },
            })),
            {
              Put: {
                TableName: this.tableName,
                Item: { ...reservationKey(orderId), type: ENTITY.reservation, orderId, status: 'RESERVED', lines, takes, reservedAt: now },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
      return { kind: 'reserved' };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      if (codes[reservationIndex] === 'ConditionalCheckFailed') return { kind: 'already-reserved' };
      // A counter short of its take, or written by another order's transaction at this moment: plan again from what the counters hold now.
      const raced = codes.slice(0, reservationIndex).some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict');
      if (raced) return { kind: 'raced', error };
      throw error;
    }
  }

  /** Each product's available units per counter (index = counter; a missing counter holds 0), read strongly consistent. */
  private async availableUnits(productIds: readonly string[]): Promise<Map<string, number[]>> {
    const unique = [...new Set(productIds)];
    const items = await batchGetAll(this.client, this.tableName, unique.flatMap(stockCounterKeys), { consistent: true });
    const available = new Map(unique.map((productId) => [productId, Array.from({ length: STOCK_COUNTERS }, () => 0)]));
    for (const item of items) {
      const units = available.get(item.productId as string);
      if (units !== undefined && typeof item.counter === 'number' && typeof item.stock === 'number') units[item.counter] = item.stock;
    }
    return available;
  }

  /** Puts reserved units back into `stock`, in the counters they came from. Returns false if there was nothing (left) to release. */
  async release(orderId: string, now: string): Promise<boolean> {
    const reservation = await this.reservationOf(orderId);
    if (reservation?.status !== 'RESERVED') return false;
    return this.moveReserved(orderId, reservation.takes, {
      to: 'RELEASED',
      counterUpdate: 'SET stock = stock + :quantity, reserved = reserved - :quantity',
      extra: [],
      now,
    });
  }

  /**
   * Ships a confirmed order in one transaction: the order becomes SHIPPED (only if it is still
   * CONFIRMED and waiting for shipment) and its reserved units move to `shipped`, in the
   * counters they came from. Returns the task token of the saga waiting for the shipment.
   */
  async commitShipment(
    orderId: string,
    shipment: WriteContext & { trackingNumber: string },
  ): Promise<{ shipmentTaskToken: string | undefined }> {
    const reservation = await this.reservationOf(orderId);
    if (reservation?.status !== 'RESERVED') throw new ConflictError(`Order ${orderId} holds no reserved stock to ship`);
    const { Item: order } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: orderKey(orderId), ConsistentRead: true }),
    );
    if (!order) throw new NotFoundError(`Order ${orderId} was not found`);
    // Only an order that is CONFIRMED (and so waiting for shipment) ships.
    const shipped = statusUpdate(statusChange('SHIPPED', ['CONFIRMED']));
    const moved = await this.moveReserved(orderId, reservation.takes, {
      to: 'SHIPPED',
      counterUpdate: 'SET reserved = reserved - :quantity, shipped = if_not_exists(shipped, :zero) + :quantity',
      extra: [
        {
          Update: {
            TableName: this.tableName,
            Key: orderKey(orderId),
            UpdateExpression: `SET ${shipped.set}, trackingNumber = :tracking, updatedAt = :now, correlationId = :correlationId`,
            ConditionExpression: shipped.condition,
            ExpressionAttributeNames: shipped.names,
            ExpressionAttributeValues: {
              ...shipped.values,
              ':tracking': shipment.trackingNumber,
              ':now': shipment.now,
              ':correlationId': shipment.correlationId,
            },
          },
        },
      ],
      now: shipment.now,
    });
    if (!moved) throw new ConflictError(`Order ${orderId} is no longer CONFIRMED and cannot ship`);
    return { shipmentTaskToken: typeof order.shipmentTaskToken === 'string' ? order.shipmentTaskToken : undefined };
  }

  /** Moves each take's units in the counter it came from, with the reservation's status change, in one transaction. */
  private async moveReserved(
    orderId: string,
    takes: readonly StockTake[],
    move: { to: ReservationStatus; counterUpdate: string; extra: object[]; now: string },
  ): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: reservationKey(orderId),
                UpdateExpression: 'SET #status = :to, settledAt = :now',
                ConditionExpression: '#status = :reserved',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':to': move.to, ':reserved': 'RESERVED', ':now': move.now },
              },
            },
            ...takes.map((take) => ({
              Update: {
                TableName: this.tableName,
                Key: stockCounterKey(take.productId, take.counter),
                UpdateExpression: move.counterUpdate,
                ExpressionAttributeValues: { ':quantity': take.quantity, ...(move.counterUpdate.includes(':zero') ? { ':zero': 0 } : {}) },
              },
            })),
            ...(move.extra as never[]),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.includes('ConditionalCheckFailed')) return false;
      throw error;
    }
  }
}
