import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import {
  statusChange,
  type Order,
  type OrderLine,
  type OrderStatus,
  type OrderSummary,
  type StatusChange,
} from './order.ts';
import {
  CURSOR_KEYS,
  SHARDED_CURSOR_SORT_KEYS,
  customerOrdersPartition,
  customerOrdersSortKey,
  ENTITY,
  INDEX,
  ORDER_HEADER_SK,
  ORDER_LINE_SK_PREFIX,
  orderKey,
  orderLineKey,
  orderPartition,
  statusPartition,
  statusPartitionBase,
  statusSortKey,
  STATUS_SHARDS,
  TABLE_KEYS,
} from '../platform/table/keys.ts';
import { cancellationCodes, conditionalWrite } from '../platform/table/conditional-write.ts';
import { decodeCursor, encodeCursor, type CursorKey, type Page, type PageRequest } from '../platform/table/pagination.ts';
import { queryShards } from '../platform/table/sharded-index.ts';

/**
 * The parts of a conditional update of an order's header that change its status: the status
 * and its index partition (GSI2), under the condition that the order is in one of the statuses
 * `change` moves from. Every repository that writes a status builds it with this, from a
 * domain `StatusChange`, so no write can skip a rule of the lifecycle.
 */
export function statusUpdate(change: StatusChange): {
  set: string;
  condition: string;
  names: Record<string, string>;
  values: Record<string, string>;
} {
  const fromPlaceholders = change.from.map((_, index) => `:from${index}`);
  return {
    set: '#status = :to, GSI2PK = :statusPartition',
    condition: `#status IN (${fromPlaceholders.join(', ')})`,
    names: { '#status': 'status' },
    values: {
      ':to': change.to,
      ':statusPartition': statusPartition(change.to),
      ...Object.fromEntries(change.from.map((status, index) => [`:from${index}`, status])),
    },
  };
}

/** What caused a write: stored on the order so the change's domain event can carry it. */
export interface WriteContext {
  correlationId: string;
  now: string;
}

function toSummary(item: Record<string, unknown>): OrderSummary {
  return {
    orderId: item.orderId as string,
    customerId: item.customerId as string,
    status: item.status as OrderStatus,
    currency: item.currency as string,
    total: item.total as number,
    lineCount: item.lineCount as number,
    shippingAddress: item.shippingAddress as Order['shippingAddress'],
    paymentMethod: item.paymentMethod as string,
    ...(typeof item.statusReason === 'string' ? { statusReason: item.statusReason } : {}),
    ...(typeof item.trackingNumber === 'string' ? { trackingNumber: item.trackingNumber } : {}),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

function toLine(item: Record<string, unknown>): OrderLine {
  return {
    productId: item.productId as string,
    productName: item.productName as string,
    unitPrice: item.unitPrice as number,
    quantity: item.quantity as number,
    lineTotal: item.lineTotal as number,
  };
}

/**
 * The order aggregate's data access: an order is one header item plus one item per line,
 * all in the order's partition, so it is written in one transaction and read in one query.
 */
export class OrderRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes a new order and its lines, all or nothing. `exists` (nothing written) when an order
   * with its id is there already; `contended` (nothing written) when another transaction on the
   * same items was in flight, which for a new order's id can only be a concurrent attempt to
   * write the same order.
   */
  async create(order: Order, context: WriteContext): Promise<'created' | 'exists' | 'contended'> {
    const { lines, ...header } = order;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...orderKey(order.orderId),
                  type: ENTITY.order,
                  ...header,
                  lineCount: lines.length,
                  correlationId: context.correlationId,
                  GSI1PK: customerOrdersPartition(order.customerId),
                  GSI1SK: customerOrdersSortKey(order.createdAt, order.orderId),
                  GSI2PK: statusPartition(order.status),
                  GSI2SK: statusSortKey(order.createdAt, order.orderId),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...lines.map((line, index) => ({
              Put: {
                TableName: this.tableName,
                Item: { ...orderLineKey(order.orderId, index), type: ENTITY.orderLine, orderId: order.orderId, ...line },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            })),
          ],
        }),
      );
      return 'created';
    } catch (error) {
      const codes = cancellationCodes(error);
      // The header's condition failing means the order is there already (its lines with it:
      // they are written in the same transaction).
      if (codes?.[0] === 'ConditionalCheckFailed') return 'exists';
      if (codes?.includes('TransactionConflict')) return 'contended';
      throw error;
    }
  }

  /** The order with its lines; `consistent` to see a write that has just succeeded. */
  async get(orderId: string, { consistent = false } = {}): Promise<Order | undefined> {
    const response = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :order)',
        ExpressionAttributeValues: { ':pk': orderPartition(orderId), ':order': ORDER_HEADER_SK },
        ConsistentRead: consistent,
      }),
    );
    const items = response.Items ?? [];
    const header = items.find((item) => item.SK === ORDER_HEADER_SK);
    if (!header) return undefined;
    const { lineCount: _lineCount, ...summary } = toSummary(header);
    const lines = items
      .filter((item) => typeof item.SK === 'string' && item.SK.startsWith(ORDER_LINE_SK_PREFIX))
      .map(toLine);
    return { ...summary, lines };
  }

  /** An order's lines alone (for an OrderPlaced event, whose stream record has only the header). */
  async getLines(orderId: string): Promise<OrderLine[]> {
    const response = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :lines)',
        ExpressionAttributeValues: { ':pk': orderPartition(orderId), ':lines': ORDER_LINE_SK_PREFIX },
        ConsistentRead: true,
      }),
    );
    return (response.Items ?? []).map(toLine);
  }

  /**
   * Keeps the fulfilment saga's task token on a CONFIRMED order, so shipping or cancelling it
   * can resume the saga. False if the order is no longer CONFIRMED (say, cancelled meanwhile).
   */
  storeShipmentTaskToken(orderId: string, taskToken: string): Promise<boolean> {
    return conditionalWrite(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: 'SET shipmentTaskToken = :token',
          ConditionExpression: '#status = :confirmed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':token': taskToken, ':confirmed': 'CONFIRMED' },
        }),
      ),
    );
  }

  /** A customer's orders, newest first. */
  listByCustomer(customerId: string, page: PageRequest): Promise<Page<OrderSummary>> {
    return this.queryIndex(INDEX.gsi1, CURSOR_KEYS.customerOrders(customerId), page);
  }

  /** Orders in one status, newest first (admin view). */
  listByStatus(status: OrderStatus, page: PageRequest): Promise<Page<OrderSummary>> {
    return queryShards({
      client: this.client,
      tableName: this.tableName,
      index: INDEX.gsi2,
      base: statusPartitionBase(status),
      shards: STATUS_SHARDS,
      cursorSortKey: SHARDED_CURSOR_SORT_KEYS.ordersByStatus,
      page,
      descending: true,
      map: toSummary,
    });
  }

  /**
   * Moves an order to `to` if, at the moment of writing, its status still allows it (and, when
   * given, it still belongs to `customerId`). Being conditional, concurrent writers cannot skip a
   * rule of the lifecycle. (The other status writers are listed in order.ts.)
   */
  async transition(
    orderId: string,
    to: OrderStatus,
    context: WriteContext & { customerId?: string },
  ): Promise<{ order: OrderSummary; shipmentTaskToken: string | undefined }> {
    const update = statusUpdate(statusChange(to));
    const ownerCondition = context.customerId === undefined ? '' : ' AND customerId = :customerId';
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: `SET ${update.set}, updatedAt = :now, correlationId = :correlationId`,
          ConditionExpression: `attribute_exists(PK) AND ${update.condition}${ownerCondition}`,
          ExpressionAttributeNames: update.names,
          ExpressionAttributeValues: {
            ...update.values,
            ':now': context.now,
            ':correlationId': context.correlationId,
            ...(context.customerId === undefined ? {} : { ':customerId': context.customerId }),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const item = Attributes ?? {};
      const token = typeof item.shipmentTaskToken === 'string' ? item.shipmentTaskToken : undefined;
      return { order: toSummary(item), shipmentTaskToken: token };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const current = error.Item?.status?.S;
        if (current === undefined) throw new NotFoundError(`Order ${orderId} was not found`);
        throw new ConflictError(`Order ${orderId} is ${current} and cannot become ${to}`);
      }
      throw error;
    }
  }

  private async queryIndex(
    index: (typeof INDEX)[keyof typeof INDEX],
    cursorKey: CursorKey,
    page: PageRequest,
  ): Promise<Page<OrderSummary>> {
    const exclusiveStartKey = decodeCursor(page.cursor, cursorKey);
    const partitionValue = cursorKey.partition.value;
    const response = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': partitionValue },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    return { items: (response.Items ?? []).map(toSummary), nextCursor: encodeCursor(response.LastEvaluatedKey) };
  }
}
