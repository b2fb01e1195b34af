import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors.ts';
import type { Principal } from '../platform/auth/principal.ts';
import type { Order } from './order.ts';

// The order use cases against fake repositories and a fake saga: what each reads, writes and
// signals, and what it refuses. (Placing an order, with its idempotency, is driven through its
// handler in functions/orders/place-order/index.test.ts.)
const orders = { get: vi.fn(), transition: vi.fn(), listByCustomer: vi.fn(), listByStatus: vi.fn() };
const stock = { commitShipment: vi.fn() };
const notifications = { listFor: vi.fn() };
vi.mock('../repositories.ts', () => ({
  orderRepository: () => orders,
  stockRepository: () => stock,
  notificationRepository: () => notifications,
  productRepository: () => ({}),
}));
const saga = { orderCancelled: vi.fn(), orderShipped: vi.fn() };
vi.mock('../fulfilment/saga-signals.ts', () => saga);

const { logger, metrics } = await import('../platform/observability.ts');
const { cancelOrder, getOrderFor, listNotificationsFor, listOrdersByStatus, listOrdersOf, shipOrder } = await import(
  './use-cases.ts'
);

const ALICE: Principal = { userId: 'alice', email: undefined, groups: [] };
const BOB: Principal = { userId: 'bob', email: undefined, groups: [] };
const ADMIN: Principal = { userId: 'admin', email: undefined, groups: ['admin'] };

const order = (overrides: Partial<Order> = {}): Order => ({
  orderId: 'o-1',
  customerId: 'alice',
  status: 'PENDING',
  currency: 'USD',
  lines: [{ productId: 'p-1', productName: 'Kettle', unitPrice: 2500, quantity: 1, lineTotal: 2500 }],
  total: 2500,
  shippingAddress: { name: 'Alice', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
  paymentMethod: 'pm-card-ok',
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  ...overrides,
});

const addMetric = vi.spyOn(metrics, 'addMetric');
const info = vi.spyOn(logger, 'info');

beforeEach(() => {
  vi.clearAllMocks();
  saga.orderCancelled.mockResolvedValue(undefined);
  saga.orderShipped.mockResolvedValue(undefined);
});

describe('getOrderFor', () => {
  it('gives the owner and an admin the order', async () => {
    orders.get.mockResolvedValue(order());
    await expect(getOrderFor(ALICE, 'o-1')).resolves.toEqual(order());
    await expect(getOrderFor(ADMIN, 'o-1')).resolves.toEqual(order());
    expect(orders.get).toHaveBeenCalledWith('o-1');
  });

  it('answers a missing order and somebody else’s order with the same 404', async () => {
    orders.get.mockResolvedValue(undefined);
    await expect(getOrderFor(ALICE, 'o-1')).rejects.toThrow(new NotFoundError('Order o-1 was not found'));
    orders.get.mockResolvedValue(order());
    await expect(getOrderFor(BOB, 'o-1')).rejects.toThrow(new NotFoundError('Order o-1 was not found'));
  });
});

describe('listing orders', () => {
  const page = { items: [], nextCursor: undefined };

  it('lists the caller’s own orders, never anybody else’s', async () => {
    orders.listByCustomer.mockResolvedValue(page);
    await expect(listOrdersOf(ALICE, { limit: 5, cursor: 'c' })).resolves.toBe(page);
    expect(orders.listByCustomer).toHaveBeenCalledWith('alice', { limit: 5, cursor: 'c' });
  });

  it('lists orders by status for the back office', async () => {
    orders.listByStatus.mockResolvedValue(page);
    await expect(listOrdersByStatus('CONFIRMED', { limit: 10 })).resolves.toBe(page);
    expect(orders.listByStatus).toHaveBeenCalledWith('CONFIRMED', { limit: 10 });
  });
});

describe('cancelOrder', () => {
  it('moves the owner’s order to CANCELLED as the owner, and returns it with the new status', async () => {
    orders.get.mockResolvedValue(order());
    orders.transition.mockResolvedValue({ order: { status: 'CANCELLED', updatedAt: '2026-11-02T00:00:00.000Z' } });

    const cancelled = await cancelOrder(ALICE, 'o-1', 'corr-1');

    expect(cancelled).toEqual(order({ status: 'CANCELLED', updatedAt: '2026-11-02T00:00:00.000Z' }));
    expect(orders.transition).toHaveBeenCalledWith('o-1', 'CANCELLED', {
      customerId: 'alice',
      correlationId: 'corr-1',
      now: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(addMetric).toHaveBeenCalledWith('OrdersCancelled', 'Count', 1);
    // The order's trail in the logs (npm run trail) has the step, and the status it left.
    expect(info).toHaveBeenCalledWith('Order cancelled', { orderId: 'o-1', from: 'PENDING' });
  });

  it('tells a saga waiting for shipment that the order was cancelled', async () => {
    orders.get.mockResolvedValue(order({ status: 'CONFIRMED' }));
    orders.transition.mockResolvedValue({ order: { status: 'CANCELLED', updatedAt: 'now' }, shipmentTaskToken: 'token-1' });
    await cancelOrder(ALICE, 'o-1', 'corr-1');
    expect(saga.orderCancelled).toHaveBeenCalledWith('token-1');
  });

  it('signals no saga when none is waiting for shipment', async () => {
    orders.get.mockResolvedValue(order());
    orders.transition.mockResolvedValue({ order: { status: 'CANCELLED', updatedAt: 'now' } });
    await cancelOrder(ALICE, 'o-1', 'corr-1');
    expect(saga.orderCancelled).not.toHaveBeenCalled();
  });

  it('refuses an admin (not the owner), a stranger and a shipped order, changing nothing', async () => {
    orders.get.mockResolvedValue(order());
    await expect(cancelOrder(ADMIN, 'o-1', 'c')).rejects.toThrow(ForbiddenError);
    await expect(cancelOrder(BOB, 'o-1', 'c')).rejects.toThrow(NotFoundError);
    orders.get.mockResolvedValue(order({ status: 'SHIPPED' }));
    await expect(cancelOrder(ALICE, 'o-1', 'c')).rejects.toThrow(ConflictError);
    orders.get.mockResolvedValue(undefined);
    await expect(cancelOrder(ALICE, 'o-1', 'c')).rejects.toThrow(NotFoundError);
    expect(orders.transition).not.toHaveBeenCalled();
    expect(addMetric).not.toHaveBeenCalled();
  });
});

describe('shipOrder', () => {
  it('commits the shipment, resumes the waiting saga with the tracking number, and returns the shipped order', async () => {
    const shipped = order({ status: 'SHIPPED', trackingNumber: 'TRACK-1' });
    orders.get.mockResolvedValueOnce(order({ status: 'CONFIRMED' })).mockResolvedValueOnce(shipped);
    stock.commitShipment.mockResolvedValue({ shipmentTaskToken: 'token-1' });

    await expect(shipOrder('o-1', 'TRACK-1', 'corr-1')).resolves.toEqual(shipped);

    expect(stock.commitShipment).toHaveBeenCalledWith('o-1', {
      trackingNumber: 'TRACK-1',
      correlationId: 'corr-1',
      now: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(saga.orderShipped).toHaveBeenCalledWith('token-1', 'TRACK-1');
    expect(addMetric).toHaveBeenCalledWith('OrdersShipped', 'Count', 1);
    expect(info).toHaveBeenCalledWith('Order shipped', { orderId: 'o-1', trackingNumber: 'TRACK-1' });
  });

  it('signals no saga when none is waiting, and falls back to the order it read if the re-read finds none', async () => {
    const confirmed = order({ status: 'CONFIRMED' });
    orders.get.mockResolvedValueOnce(confirmed).mockResolvedValueOnce(undefined);
    stock.commitShipment.mockResolvedValue({});
    await expect(shipOrder('o-1', 'TRACK-1', 'corr-1')).resolves.toEqual(confirmed);
    expect(saga.orderShipped).not.toHaveBeenCalled();
  });

  it('refuses a missing order (404) and one that is not CONFIRMED (409), shipping nothing', async () => {
    orders.get.mockResolvedValue(undefined);
    await expect(shipOrder('o-1', 'T', 'c')).rejects.toThrow(new NotFoundError('Order o-1 was not found'));
    orders.get.mockResolvedValue(order({ status: 'PENDING' }));
    await expect(shipOrder('o-1', 'T', 'c')).rejects.toThrow(ConflictError);
    expect(stock.commitShipment).not.toHaveBeenCalled();
  });
});

describe('listNotificationsFor', () => {
  it('gives the owner the notifications of their order', async () => {
    orders.get.mockResolvedValue(order());
    notifications.listFor.mockResolvedValue([{ message: 'hello' }]);
    await expect(listNotificationsFor(ALICE, 'o-1')).resolves.toEqual([{ message: 'hello' }]);
    expect(notifications.listFor).toHaveBeenCalledWith('o-1');
  });

  it('answers anyone else, admins included, and a missing order with the same 404', async () => {
    orders.get.mockResolvedValue(order());
    await expect(listNotificationsFor(ADMIN, 'o-1')).rejects.toThrow(new NotFoundError('Order o-1 was not found'));
    orders.get.mockResolvedValue(undefined);
    await expect(listNotificationsFor(ALICE, 'o-1')).rejects.toThrow(new NotFoundError('Order o-1 was not found'));
    expect(notifications.listFor).not.toHaveBeenCalled();
  });
});
