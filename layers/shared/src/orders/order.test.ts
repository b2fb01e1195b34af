import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Principal } from '../platform/auth/principal.ts';
import {
  assertCanCancel,
  assertCanView,
  canTransition,
  ORDER_STATUSES,
  priceOrder,
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
