import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { OrderEvent } from '../events/schemas.ts';
import { logger, metrics } from '../platform/observability.ts';
import { loyaltyRepository } from '../repositories.ts';
import { awardFor } from './loyalty.ts';

/** The loyalty consumer: points for every confirmed order, once, even if the event is redelivered. */
export async function awardPoints(event: OrderEvent): Promise<void> {
  const award = awardFor(event);
  if (!award) return;
  const awarded = await loyaltyRepository().award(award);
  if (!awarded) {
    logger.info('Duplicate delivery: points already awarded for this order');
    return;
  }
  logger.info('Loyalty points awarded', { points: award.points });
  metrics.addMetric('LoyaltyPointsAwarded', MetricUnit.Count, award.points);
}
