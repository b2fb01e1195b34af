import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { OrderEvent } from '../events/schemas.ts';
import { logger, metrics } from '../platform/observability.ts';
import { notificationRepository } from '../repositories.ts';
import { notificationFor } from './notification.ts';

/** Customer notifications: one record per event that concerns the customer, even if redelivered. */
export async function notifyCustomer(event: OrderEvent): Promise<void> {
  const notification = notificationFor(event);
  if (!notification) return;
  const stored = await notificationRepository().record(notification);
  if (!stored) {
    logger.info('Duplicate delivery: notification already recorded');
    return;
  }
  logger.info('Customer notified', { notifiedStatus: notification.status });
  metrics.addMetric('NotificationsRecorded', MetricUnit.Count, 1);
}
