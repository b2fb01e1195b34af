import { describe, expect, it } from 'vitest';
import { addToCart, itemCount, loadCart, MAX_LINES, orderItems, removeFromCart, saveCart, setQuantity, totals, type Cart } from './cart.ts';

const product = (n: number, price = 1000, currency = 'USD') => ({ productId: `p${n}`, name: `Product ${n}`, price, currency });

const memoryStorage = () => {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
};

describe('cart', () => {
  it('adds a product as a line, and to the same line when added again', () => {
    const cart = addToCart(addToCart([], product(1)), product(1), 2);
    expect(cart).toEqual([{ productId: 'p1', name: 'Product 1', unitPrice: 1000, currency: 'USD', quantity: 3 }]);
  });

  it('keeps quantities within the API limits (1 to 100) and removes a line set to 0', () => {
    let cart: Cart = addToCart([], product(1), 250);
    expect(cart[0]?.quantity).toBe(100);
    cart = setQuantity(cart, 'p1', 2.7);
    expect(cart[0]?.quantity).toBe(2);
    expect(setQuantity(cart, 'p1', 0)).toEqual([]);
    expect(setQuantity(cart, 'p1', Number.NaN)).toEqual([]);
  });

  it('takes no more than 25 lines, an order’s limit', () => {
    let cart: Cart = [];
    for (let n = 0; n < MAX_LINES + 3; n += 1) cart = addToCart(cart, product(n));
    expect(cart).toHaveLength(MAX_LINES);
  });

  it('counts items, totals per currency and builds the order items', () => {
    let cart = addToCart(addToCart([], product(1, 250), 2), product(2, 1000, 'EUR'));
    cart = addToCart(cart, product(3, 100), 3);
    expect(itemCount(cart)).toBe(6);
    expect(totals(cart)).toEqual({ USD: 800, EUR: 1000 });
    expect(orderItems(removeFromCart(cart, 'p2'))).toEqual([
      { productId: 'p1', quantity: 2 },
      { productId: 'p3', quantity: 3 },
    ]);
  });

  it('survives a reload through storage, and drops what it cannot read', () => {
    const storage = memoryStorage();
    const cart = addToCart([], product(1), 2);
    saveCart(storage, cart);
    expect(loadCart(storage)).toEqual(cart);
    storage.setItem('orders.cart', JSON.stringify([{ productId: 'p1' }, ...cart]));
    expect(loadCart(storage)).toEqual(cart);
    storage.setItem('orders.cart', '{not json');
    expect(loadCart(storage)).toEqual([]);
  });
});
