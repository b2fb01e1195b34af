import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderEvent } from '../events/schemas.ts';

// The notification consumer against a fake repository: one record per event that concerns the
// customer, none for the others, and a redelivery is recognised rather than counted twice.
const notifications = { record: vi.fn() };
vi.mock('../repositories.ts', () => ({ notificationRepository: () => notifications }));
const { logger, metrics } = await import('../platform/observability.ts');
const { notifyCustomer } = await import('./notify-customer.ts');

const ref = { orderId: '9c1e0000-0000-4000-8000-000000000000', customerId: 'alice', currency: 'USD', total: 2500 };
const common = { eventId: 'e-1', version: 1 as const, occurredAt: '2026-11-22T10:00:00.000Z', correlationId: 'c-1' };
const confirmed: OrderEvent = { ...common, type: 'OrderStatusChanged', data: { ...ref, from: 'PENDING', to: 'CONFIRMED' } };
const addMetric = vi.spyOn(metrics, 'addMetric');
const info = vi.spyOn(logger, 'info');

beforeEach(() => vi.clearAllMocks());

describe('notifyCustomer', () => {
  it('records the notification for an event the customer should hear about, and counts it', async () => {
    notifications.record.mockResolvedValue(true);
    await notifyCustomer(confirmed);
    expect(notifications.record).toHaveBeenCalledWith(
      expect.objectContaining({ orderId: ref.orderId, eventId: 'e-1', status: 'CONFIRMED' }),
    );
    expect(addMetric).toHaveBeenCalledWith('NotificationsRecorded', 'Count', 1);
    expect(info).toHaveBeenCalledWith('Customer notified', { notifiedStatus: 'CONFIRMED' });
  });

  it('records nothing for an event the customer is not told about', async () => {
    await notifyCustomer({ ...confirmed, data: { ...ref, from: 'CONFIRMED', to: 'CANCELLED' } });
    await notifyCustomer({ ...confirmed, data: { ...ref, from: 'PENDING', to: 'PENDING' } });
    expect(notifications.record).not.toHaveBeenCalled();
    expect(addMetric).not.toHaveBeenCalled();
  });

  it('recognises a redelivered event: logged as a duplicate, not counted again', async () => {
    notifications.record.mockResolvedValue(false);
    await notifyCustomer(confirmed);
    expect(info).toHaveBeenCalledWith('Duplicate delivery: notification already recorded');
    expect(addMetric).not.toHaveBeenCalled();
  });
});
