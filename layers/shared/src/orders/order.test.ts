import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Principal } from '../platform/auth/principal.ts';
import {
  assertCanCancel,
  assertCanShip,
  assertCanView,
  assertIsOwner,
  canTransition,
  ORDER_STATUSES,
  priceOrder,
  statusChange,
  statusesThatCanBecome,
  type OrderStatus,
} from './order.ts';
import type { Product } from '../catalog/product.ts';

const product = (productId: string, price: number, currency = 'USD'): Product => ({
  productId,
  name: `Product ${productId}`,
  description: '',
  price,
  currency,
  stock: 10,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const catalog = new Map([
  ['a', product('a', 1250)],
  ['b', product('b', 399)],
  ['e', product('e', 500, 'EUR')],
]);

const alice: Principal = { userId: 'alice', email: 'alice@example.com', groups: [] };
const bob: Principal = { userId: 'bob', email: 'bob@example.com', groups: [] };
const admin: Principal = { userId: 'root', email: 'admin@example.com', groups: ['admin'] };

describe('priceOrder', () => {
  it('prices every line from the catalog and totals them in minor units', () => {
    const priced = priceOrder(
      [
        { productId: 'a', quantity: 2 },
        { productId: 'b', quantity: 3 },
      ],
      catalog,
    );
    expect(priced.currency).toBe('USD');
    expect(priced.lines).toEqual([
      { productId: 'a', productName: 'Product a', unitPrice: 1250, quantity: 2, lineTotal: 2500 },
      { productId: 'b', productName: 'Product b', unitPrice: 399, quantity: 3, lineTotal: 1197 },
    ]);
    expect(priced.total).toBe(3697);
  });

  it('names the item that refers to an unknown product', () => {
    const attempt = () => priceOrder([{ productId: 'a', quantity: 1 }, { productId: 'zzz', quantity: 1 }], catalog);
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).errors).toEqual([
        { field: 'items[1].productId', message: 'no such product in the catalog' },
      ]);
    }
  });

  it('refuses the same product on two lines', () => {
    expect(() => priceOrder([{ productId: 'a', quantity: 1 }, { productId: 'a', quantity: 2 }], catalog)).toThrow(
      /items\[1\]\.productId: appears more than once/,
    );
  });

  it('refuses an order that mixes currencies', () => {
    expect(() => priceOrder([{ productId: 'a', quantity: 1 }, { productId: 'e', quantity: 1 }], catalog)).toThrow(
      /items\[1\]\.productId: is priced in EUR/,
    );
  });
});

describe('order lifecycle', () => {
  it.each<[OrderStatus, OrderStatus, boolean]>([
    ['PENDING', 'CONFIRMED', true],
    ['PENDING', 'CANCELLED', true],
    ['CONFIRMED', 'SHIPPED', true],
    ['CONFIRMED', 'CANCELLED', true],
    ['SHIPPED', 'CANCELLED', false],
    ['CANCELLED', 'PENDING', false],
    ['PENDING', 'SHIPPED', false],
    ['REJECTED', 'CONFIRMED', false],
  ])('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('has no way out of a terminal status', () => {
    for (const terminal of ['SHIPPED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED'] as const) {
      expect(ORDER_STATUSES.filter((to) => canTransition(terminal, to))).toEqual([]);
    }
  });

  it('lists the statuses an order may be cancelled from', () => {
    expect(statusesThatCanBecome('CANCELLED')).toEqual(['PENDING', 'CONFIRMED']);
  });
});

describe('who may see and cancel an order', () => {
  const alicesOrder = { orderId: 'o1', customerId: 'alice', status: 'PENDING' as OrderStatus };

  it('lets the owner and admins read it, and tells anyone else it does not exist', () => {
    expect(() => assertCanView(alice, alicesOrder)).not.toThrow();
    expect(() => assertCanView(admin, alicesOrder)).not.toThrow();
    expect(() => assertCanView(bob, alicesOrder)).toThrow(NotFoundError);
  });

  it('lets only the owner cancel, and only while the order is cancellable', () => {
    expect(() => assertCanCancel(alice, alicesOrder)).not.toThrow();
    expect(() => assertCanCancel(bob, alicesOrder)).toThrow(NotFoundError);
    expect(() => assertCanCancel(admin, alicesOrder)).toThrow(ForbiddenError);
    expect(() => assertCanCancel(alice, { ...alicesOrder, status: 'SHIPPED' })).toThrow(ConflictError);
  });
});

describe('what a refused request is told', () => {
  const alicesOrder = { orderId: 'o1', customerId: 'alice', status: 'PENDING' as OrderStatus };
  const problemsOf = (attempt: () => unknown) => {
    try {
      attempt();
    } catch (error) {
      return (error as ValidationError).errors;
    }
    return expect.unreachable('the order should have been refused');
  };

  it('refuses an order without items, naming the items', () => {
    expect(problemsOf(() => priceOrder([], catalog))).toEqual([{ field: 'items', message: 'must not be empty' }]);
  });

  it('names every problem of an order at once, each against its own item', () => {
    const items = [
      { productId: 'a', quantity: 1 },
      { productId: 'zzz', quantity: 1 },
      { productId: 'a', quantity: 1 },
      { productId: 'e', quantity: 1 },
    ];
    expect(problemsOf(() => priceOrder(items, catalog))).toEqual([
      { field: 'items[1].productId', message: 'no such product in the catalog' },
      { field: 'items[2].productId', message: 'appears more than once; put the total quantity on one line' },
      { field: 'items[3].productId', message: 'is priced in EUR; an order has one currency (USD)' },
    ]);
  });

  it('tells a stranger the order does not exist, whatever they try', () => {
    const notFound = new NotFoundError('Order o1 was not found');
    expect(() => assertCanView(bob, alicesOrder)).toThrow(notFound);
    expect(() => assertCanCancel(bob, alicesOrder)).toThrow(notFound);
    expect(() => assertIsOwner(bob, alicesOrder)).toThrow(notFound);
  });

  it('keeps an order’s notifications to its owner: an admin is told it does not exist', () => {
    expect(() => assertIsOwner(alice, alicesOrder)).not.toThrow();
    expect(() => assertIsOwner(admin, alicesOrder)).toThrow(new NotFoundError('Order o1 was not found'));
  });

  it('says why an order cannot be cancelled', () => {
    expect(() => assertCanCancel(admin, alicesOrder)).toThrow(new ForbiddenError('Only the customer who placed an order can cancel it'));
    expect(() => assertCanCancel(alice, { ...alicesOrder, status: 'REJECTED' })).toThrow(
      new ConflictError('Order o1 is REJECTED and can no longer be cancelled'),
    );
    expect(() => assertCanCancel(alice, { ...alicesOrder, status: 'CONFIRMED' })).not.toThrow();
  });

  it('ships only a CONFIRMED order, and says so otherwise', () => {
    expect(() => assertCanShip({ orderId: 'o1', status: 'CONFIRMED' })).not.toThrow();
    expect(() => assertCanShip({ orderId: 'o1', status: 'PENDING' })).toThrow(
      new ConflictError('Order o1 is PENDING; only CONFIRMED orders can ship'),
    );
    expect(() => assertCanShip({ orderId: 'o1', status: 'SHIPPED' })).toThrow(ConflictError);
  });

  it('names every disallowed status of a status change, and only those', () => {
    expect(() => statusChange('CONFIRMED', ['PENDING', 'SHIPPED', 'CANCELLED'])).toThrow(
      'The order lifecycle does not allow SHIPPED, CANCELLED -> CONFIRMED',
    );
    expect(() => statusChange('CONFIRMED', [])).toThrow('The order lifecycle does not allow (nothing) -> CONFIRMED');
  });
});
