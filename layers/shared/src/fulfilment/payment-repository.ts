import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...paymentKey(payment.orderId), type: ENTITY.payment, ...payment, status: 'CHARGED', chargedAt: now },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Records a refund of a charge the order never recorded (its answer was lost), so the order's
   * payment history is complete; recording it again changes nothing.
   */
  async recordRefundedCharge(payment: Omit<Payment, 'status'>, now: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...paymentKey(payment.orderId), type: ENTITY.payment, ...payment, status: 'REFUNDED', refundedAt: now },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** CHARGED → REFUNDED; false when there was nothing (left) to refund. */
  async markRefunded(orderId: string, now: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: paymentKey(orderId),
          UpdateExpression: 'SET #status = :refunded, refundedAt = :now',
          ConditionExpression: '#status = :charged',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':refunded': 'REFUNDED', ':charged': 'CHARGED', ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
