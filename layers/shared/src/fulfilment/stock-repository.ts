import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { ENTITY, orderKey, productKey, reservationKey } from '../platform/table/keys.ts';
import { statusChange } from '../orders/order.ts';
import { statusUpdate, type WriteContext } from '../orders/order-repository.ts';
import { OutOfStockError } from './errors.ts';

export interface ReservedLine {
  productId: string;
  quantity: number;
}

export type ReservationStatus = 'RESERVED' | 'RELEASED' | 'SHIPPED';

/**
 * Stock bookkeeping. A product's units are always in exactly one of three counters:
 * `stock` (available), `reserved` (held by orders being fulfilled) and `shipped`. Every move
 * between them happens in one transaction together with the order's reservation record, whose
 * status makes each move happen at most once however often it is retried.
 */
export class StockRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reservationOf(orderId: string): Promise<{ status: ReservationStatus; lines: ReservedLine[] } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: reservationKey(orderId), ConsistentRead: true }),
    );
    return Item ? { status: Item.status as ReservationStatus, lines: Item.lines as ReservedLine[] } : undefined;
  }

  /**
   * Takes every line's quantity from `stock` into `reserved`, all or nothing: the condition
   * `stock >= quantity` on each product means stock never goes negative (no overselling,
   * however many orders race for the last units). Returns false if the order already holds
   * its reservation (a retry).
   */
  async reserve(orderId: string, lines: readonly ReservedLine[], now: string): Promise<boolean> {
    const reservationIndex = lines.length;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...lines.map((line) => ({
              Update: {
                TableName: this.tableName,
                Key: productKey(line.productId),
                UpdateExpression: 'SET stock = stock - :quantity, reserved = if_not_exists(reserved, :zero) + :quantity',
                ConditionExpression: 'attribute_exists(PK) AND stock >= :quantity',
                ExpressionAttributeValues: { ':quantity': line.quantity, ':zero': 0 },
              },
            })),
            {
              Put: {
                TableName: this.tableName,
                Item: { ...reservationKey(orderId), type: ENTITY.reservation, orderId, status: 'RESERVED', lines, reservedAt: now },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : undefined;
      if (reasons === undefined) throw error;
      if (reasons[reservationIndex]?.Code === 'ConditionalCheckFailed') return false;
      const short = lines.filter((_, index) => reasons[index]?.Code === 'ConditionalCheckFailed');
      if (short.length > 0) {
        throw new OutOfStockError(`Not enough stock for ${short.map((line) => line.productId).join(', ')}`);
      }
      throw error; // e.g. TransactionConflict: transient, the state machine retries it
    }
  }

  /** Puts reserved units back into `stock`. Returns false if there was nothing (left) to release. */
  async release(orderId: string, now: string): Promise<boolean> {
    const reservation = await this.reservationOf(orderId);
    if (reservation?.status !== 'RESERVED') return false;
    return this.moveReserved(orderId, reservation.lines, {
      to: 'RELEASED',
      productUpdate: 'SET stock = stock + :quantity, reserved = reserved - :quantity',
      extra: [],
      now,
    });
  }

  /**
   * Ships a confirmed order in one transaction: the order becomes SHIPPED (only if it is still
   * CONFIRMED and waiting for shipment) and its reserved units move to `shipped`. Returns the
   * task token of the saga waiting for the shipment.
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
    const moved = await this.moveReserved(orderId, reservation.lines, {
      to: 'SHIPPED',
      productUpdate: 'SET reserved = reserved - :quantity, shipped = if_not_exists(shipped, :zero) + :quantity',
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

  private async moveReserved(
    orderId: string,
    lines: readonly ReservedLine[],
    move: { to: ReservationStatus; productUpdate: string; extra: object[]; now: string },
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
            ...lines.map((line) => ({
              Update: {
                TableName: this.tableName,
                Key: productKey(line.productId),
                UpdateExpression: move.productUpdate,
                ExpressionAttributeValues: { ':quantity': line.quantity, ...(move.productUpdate.includes(':zero') ? { ':zero': 0 } : {}) },
              },
            })),
            ...(move.extra as never[]),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) return false;
      }
      throw error;
    }
  }
}
