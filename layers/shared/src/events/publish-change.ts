import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBRecord } from 'aws-lambda';
import { orderRepository } from '../repositories.ts';
import { logger, metrics } from '../platform/observability.ts';
import { orderChangeOf, orderEventOf } from './from-stream.ts';
import { publishOrderEvent } from './sns-publisher.ts';

/** Stream publisher: turns one change to an order into its domain event on the topic. */
export async function publishChange(record: DynamoDBRecord): Promise<void> {
  const change = orderChangeOf(record);
  if (!change) return;
  const lines = change.kind === 'created' ? await orderRepository().getLines(String(change.newImage.orderId)) : [];
  const event = orderEventOf(change, lines);
  if (!event) return;
  await publishOrderEvent(event);
  // The event's correlation id (the request that changed the order), so that the order's trail
  // by correlation id (npm run trail, the order-trail query) has this step too.
  logger.info('Published order event', { eventId: event.eventId, eventType: event.type, orderId: event.data.orderId, correlationId: event.correlationId });
  metrics.addMetric(`${event.type}Published`, MetricUnit.Count, 1);
}
