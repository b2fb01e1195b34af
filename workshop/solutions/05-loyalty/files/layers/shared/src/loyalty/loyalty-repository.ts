import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LoyaltyAccount, LoyaltyAward } from './loyalty.ts';
import { cancellationCodes } from '../platform/table/conditional-write.ts';
import { customerPartition, ENTITY, LOYALTY_SK_PREFIX, loyaltyAccountKey, loyaltyAwardKey } from '../platform/table/keys.ts';

/** Loyalty points: one account item per customer (the balance) and one award item per order. */
export class LoyaltyRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Adds an award to the customer's balance once: the award item (keyed by the order) and the
   * balance change are one transaction, and the award's put is conditional, so a redelivered
   * event cancels the whole transaction and the balance is not added to twice. Returns false for
   * an award already made.
   */
  async award(award: LoyaltyAward): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...loyaltyAwardKey(award.customerId, award.orderId), type: ENTITY.loyaltyAward, ...award },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: loyaltyAccountKey(award.customerId),
                UpdateExpression: 'ADD balance :points SET #type = :type, customerId = :customerId, updatedAt = :at',
                ExpressionAttributeNames: { '#type': 'type' },
                ExpressionAttributeValues: {
                  ':points': award.points,
                  ':type': ENTITY.loyaltyAccount,
                  ':customerId': award.customerId,
                  ':at': award.awardedAt,
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      // The first item's condition failed: the order's award is already there.
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  /** A customer's balance and awards, newest first; a customer who has none has a balance of 0. */
  async accountOf(customerId: string): Promise<LoyaltyAccount> {
    const account: LoyaltyAccount = { balance: 0, awards: [] };
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const response = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': customerPartition(customerId), ':prefix': LOYALTY_SK_PREFIX },
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      for (const item of response.Items ?? []) {
        if (item.type === ENTITY.loyaltyAccount) account.balance = item.balance as number;
        else account.awards.push({ orderId: item.orderId as string, points: item.points as number, awardedAt: item.awardedAt as string });
      }
      exclusiveStartKey = response.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);
    account.awards.sort((a, b) => b.awardedAt.localeCompare(a.awardedAt));
    return account;
  }
}
