import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Notification } from './notification.ts';
import { conditionalWrite } from '../platform/table/conditional-write.ts';
import { ENTITY, NOTIFICATION_SK_PREFIX, notificationKey, orderPartition } from '../platform/table/keys.ts';

function toNotification(item: Record<string, unknown>): Notification {
  return {
    orderId: item.orderId as string,
    customerId: item.customerId as string,
    eventId: item.eventId as string,
    eventType: item.eventType as Notification['eventType'],
    status: item.status as Notification['status'],
    message: item.message as string,
    occurredAt: item.occurredAt as string,
  };
}

/** Customer notifications, stored under their order. */
export class NotificationRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores a notification once: the key is derived from the event, so a redelivered event
   * finds its notification already there and changes nothing. Returns false for a duplicate.
   */
  record(notification: Notification): Promise<boolean> {
    return conditionalWrite(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...notificationKey(notification.orderId, notification.occurredAt, notification.eventId),
            type: ENTITY.notification,
            ...notification,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  /** An order's notifications, oldest first (an order has a handful, so one page is all of them). */
  async listFor(orderId: string): Promise<Notification[]> {
    const notifications: Notification[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const response = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': orderPartition(orderId), ':prefix': NOTIFICATION_SK_PREFIX },
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      notifications.push(...(response.Items ?? []).map(toNotification));
      exclusiveStartKey = response.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);
    return notifications;
  }
}
