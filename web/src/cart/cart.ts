/**
 * The cart: pure functions over a list of lines, kept in localStorage so it survives reloads.
 * Prices here are what the catalog showed; the API prices the order from the catalog again.
 */
import type { KeyValueStorage } from '../storage.ts';

export interface CartLine {
  productId: string;
  name: string;
  unitPrice: number;
  currency: string;
  quantity: number;
}

export type Cart = readonly CartLine[];

/** The API's limits on an order (PlaceOrderRequest): 25 lines, 1 to 100 of each. */
export const MAX_LINES = 25;
export const MAX_QUANTITY = 100;

const clampQuantity = (quantity: number) => Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(quantity)));

export type Product = Omit<CartLine, 'quantity' | 'unitPrice'> & { price: number };

/** Adds `quantity` of a product: to its line when there is one, else as a new line (unless the cart is full). */
export function addToCart(cart: Cart, product: Product, quantity = 1): Cart {
  const existing = cart.find((line) => line.productId === product.productId);
  if (existing !== undefined) return setQuantity(cart, product.productId, existing.quantity + quantity);
  if (cart.length >= MAX_LINES) return cart;
  const line: CartLine = {
    productId: product.productId,
    name: product.name,
    unitPrice: product.price,
    currency: product.currency,
    quantity: clampQuantity(quantity),
  };
  return [...cart, line];
}

/** Sets a line's quantity (clamped to 1..100); 0 or less removes the line. */
export function setQuantity(cart: Cart, productId: string, quantity: number): Cart {
  if (!Number.isFinite(quantity) || quantity < 1) return removeFromCart(cart, productId);
  return cart.map((line) => (line.productId === productId ? { ...line, quantity: clampQuantity(quantity) } : line));
}

export function removeFromCart(cart: Cart, productId: string): Cart {
  return cart.filter((line) => line.productId !== productId);
}

export const itemCount = (cart: Cart): number => cart.reduce((sum, line) => sum + line.quantity, 0);

/** Totals in minor units, one per currency (a cart may mix them; an order prices each line). */
export function totals(cart: Cart): Record<string, number> {
  const result: Record<string, number> = {};
  for (const line of cart) result[line.currency] = (result[line.currency] ?? 0) + line.unitPrice * line.quantity;
  return result;
}

/** The `items` of a PlaceOrderRequest. */
export const orderItems = (cart: Cart) => cart.map(({ productId, quantity }) => ({ productId, quantity }));

const STORAGE_KEY = 'orders.cart';

const isLine = (value: unknown): value is CartLine => {
  const line = value as Partial<CartLine> | null;
  return (
    typeof line?.productId === 'string' &&
    typeof line.name === 'string' &&
    typeof line.unitPrice === 'number' &&
    typeof line.currency === 'string' &&
    typeof line.quantity === 'number'
  );
};

/** The stored cart; anything unreadable (an older shape, hand edits) is dropped rather than trusted. */
export function loadCart(storage: Pick<KeyValueStorage, 'getItem'>): Cart {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isLine).slice(0, MAX_LINES) : [];
  } catch {
    return [];
  }
}

export function saveCart(storage: Pick<KeyValueStorage, 'setItem'>, cart: Cart): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(cart));
}
