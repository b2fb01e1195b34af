import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '../platform/table/conditional-write.ts';
import { ENTITY, paymentKey } from '../platform/table/keys.ts';

export type PaymentStatus = 'CHARGED' | 'REFUNDED';

export interface Payment {
  orderId: string;
  chargeId: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
}

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
    return {
      orderId,
      chargeId: Item.chargeId as string,
      amount: Item.amount as number,
      currency: Item.currency as string,
      status: Item.status as PaymentStatus,
    };
  }

  /** Records the charge once; recording the same charge again changes nothing. */
  async recordCharge(payment: Omit<Payment, 'status'>, now: string): Promise<void> {
    await conditionalWrite(() =>
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
   * Records a refund of a charge the order never recorded (its answer was lost), so the order's
   * payment history is complete; recording it again changes nothing.
   */
  recordRefundedCharge(payment: Omit<Payment, 'status'>, now: string): Promise<boolean> {
    return conditionalWrite(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...paymentKey(payment.orderId), type: ENTITY.payment, ...payment, status: 'REFUNDED', refundedAt: now },
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
