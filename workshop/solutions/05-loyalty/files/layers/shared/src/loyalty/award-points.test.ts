import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderEvent } from '../events/schemas.ts';

// The loyalty consumer against a fake repository: one award per confirmed order, none for other
// events, and a redelivery is recognised rather than counted twice.
const loyalty = { award: vi.fn() };
vi.mock('../repositories.ts', () => ({ loyaltyRepository: () => loyalty }));
const { logger, metrics } = await import('../platform/observability.ts');
const { awardPoints } = await import('./award-points.ts');

const ref = { orderId: '9c1e0000-0000-4000-8000-000000000000', customerId: 'alice', currency: 'USD', total: 2500 };
const common = { eventId: 'e-1', version: 1 as const, occurredAt: '2026-11-22T10:00:00.000Z', correlationId: 'c-1' };
const confirmed: OrderEvent = { ...common, type: 'OrderStatusChanged', data: { ...ref, from: 'PENDING', to: 'CONFIRMED' } };
const addMetric = vi.spyOn(metrics, 'addMetric');
const info = vi.spyOn(logger, 'info');

beforeEach(() => vi.clearAllMocks());

describe('awardPoints', () => {
  it('awards the points of a confirmed order and counts them', async () => {
    loyalty.award.mockResolvedValue(true);
    await awardPoints(confirmed);
    expect(loyalty.award).toHaveBeenCalledWith({ customerId: 'alice', orderId: ref.orderId, points: 25, eventId: 'e-1', awardedAt: common.occurredAt });
    expect(addMetric).toHaveBeenCalledWith('LoyaltyPointsAwarded', 'Count', 25);
  });

  it('awards nothing for an event that earns no points', async () => {
    await awardPoints({ ...confirmed, data: { ...ref, from: 'CONFIRMED', to: 'SHIPPED' } });
    expect(loyalty.award).not.toHaveBeenCalled();
    expect(addMetric).not.toHaveBeenCalled();
  });

  it('recognises a redelivered event: logged as a duplicate, not counted again', async () => {
    loyalty.award.mockResolvedValue(false);
    await awardPoints(confirmed);
    expect(info).toHaveBeenCalledWith('Duplicate delivery: points already awarded for this order');
    expect(addMetric).not.toHaveBeenCalled();
  });

  it('lets a failed write fail the message, so the queue retries it', async () => {
    loyalty.award.mockRejectedValue(new Error('throttled'));
    await expect(awardPoints(confirmed)).rejects.toThrow('throttled');
  });
});
