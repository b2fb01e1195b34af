import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../platform/table/conditional-write.ts';
import { ENTITY, paymentKey } from '../platform/table/keys.ts';

/** A charge the order made, and whether it was given back. */
export interface Charge {
  orderId: string;
  chargeId: string;
  amount: number;
  currency: string;
}

/**
 * What the application knows of the order's payment: `CHARGED`, then maybe `REFUNDED`; or
 * `VOIDED` when the saga's compensation ran before any charge was recorded, after which no
 * charge may stand (a payment attempt still in flight refunds its own, see `takePayment`).
 */
export type Payment = (Charge & { status: 'CHARGED' | 'REFUNDED' }) | { orderId: string; status: 'VOIDED' };

/** The order's payment as the application sees it: what was charged, and whether it was refunded. */
export class PaymentRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orderId: string): Promise<Payment | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: paymentKey(orderId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    if (Item.status === 'VOIDED') return { orderId, status: 'VOIDED' };
    return {
      orderId,
      chargeId: Item.chargeId as string,
      amount: Item.amount as number,
      currency: Item.currency as string,
      status: Item.status as 'CHARGED' | 'REFUNDED',
    };
  }

  /**
   * Records the charge unless the order already has a payment record: false when it had one
   * (the same charge recorded by another attempt, or a void: the caller reads which).
   */
  recordCharge(payment: Charge, now: string): Promise<boolean> {
    return conditionalWrite(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...paymentKey(payment.orderId), type: ENTITY.payment, ...payment, status: 'CHARGED', chargedAt: now },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  /**
   * Records a refund of a charge the order never recorded (its answer was lost, or it landed
   * after a void), so the order's payment history is complete; recording it again changes nothing.
   */
  recordRefundedCharge(payment: Charge, now: string): Promise<boolean> {
    return conditionalWrite(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...paymentKey(payment.orderId), type: ENTITY.payment, ...payment, status: 'REFUNDED', refundedAt: now },
          ConditionExpression: 'attribute_not_exists(PK) OR #status = :voided',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':voided': 'VOIDED' },
        }),
      ),
    );
  }

  /**
   * Marks the order's payment void when nothing was recorded: from then on no charge can be
   * recorded for it. False when a record already exists (a charge got there first).
   */
  void(orderId: string, now: string): Promise<boolean> {
    return conditionalWrite(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...paymentKey(orderId), type: ENTITY.payment, orderId, status: 'VOIDED', voidedAt: now },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  /** CHARGED → REFUNDED; false when there was nothing (left) to refund. */
  markRefunded(orderId: string, now: string): Promise<boolean> {
    return conditionalWrite(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: paymentKey(orderId),
          UpdateExpression: 'SET #status = :refunded, refundedAt = :now',
          ConditionExpression: '#status = :charged',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':refunded': 'REFUNDED', ':charged': 'CHARGED', ':now': now },
        }),
      ),
    );
  }
}
