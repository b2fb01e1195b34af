import { createHash } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { isAdmin, type Principal } from '../platform/auth/principal.ts';
import type { ProductPricing } from '../catalog/product.ts';

/**
 * The order lifecycle, and its single truth. PENDING is where every order starts; the fulfilment
 * saga moves it on. Terminal statuses have no way out.
 *
 * Statuses are written in three places, each as a conditional update built from a
 * `StatusChange`: `OrderRepository.transition` (cancel), `StockRepository.commitShipment` (ship)
 * and the direct DynamoDB states of statemachine/fulfilment.asl.json (confirm, reject, payment
 * failed, cancel unshipped). orders/lifecycle.test.ts reads every one of them and fails on any
 * write this table does not allow.
 */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Every order is created in this status. */
export const INITIAL_STATUS: OrderStatus = 'PENDING';

const ALLOWED_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['CONFIRMED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED'],
  CONFIRMED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: [],
  REJECTED: [],
  PAYMENT_FAILED: [],
  CANCELLED: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => ALLOWED_TRANSITIONS[from].includes(to);

/** The statuses from which an order may move to `to`: the condition of the conditional update. */
export const statusesThatCanBecome = (to: OrderStatus): OrderStatus[] =>
  ORDER_STATUSES.filter((from) => canTransition(from, to));

/** A change of status the lifecycle allows: the status written, and the statuses it may be written over. */
export interface StatusChange {
  readonly to: OrderStatus;
  readonly from: readonly OrderStatus[];
}

/**
 * Every status update in the code is built here: a move to `to` from each status that may become
 * it, or from the given subset of them (a step that expects one status). A transition the
 * lifecycle does not allow is a bug, so it throws rather than writing.
 */
export function statusChange(to: OrderStatus, from: readonly OrderStatus[] = statusesThatCanBecome(to)): StatusChange {
  const disallowed = from.filter((status) => !canTransition(status, to));
  if (from.length === 0 || disallowed.length > 0) {
    throw new Error(`The order lifecycle does not allow ${from.length === 0 ? '(nothing)' : disallowed.join(', ')} -> ${to}`);
  }
  return { to, from: [...from] };
}

/**
 * The id of the order a customer places under one Idempotency-Key: the same pair always names
 * the same order, so the order written with the condition that its id is new is its own
 * idempotency record (place-order.ts). A UUID (version 8, from SHA-256) so it reads and
 * validates like every other id.
 */
export function orderIdFor(customerId: string, idempotencyKey: string): string {
  const bytes = createHash('sha256').update(`order\n${customerId}\n${idempotencyKey}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  region?: string | undefined;
  postalCode: string;
  country: string;
}

export interface OrderLine {
  productId: string;
  productName: string;
  /** Minor units (cents) of `Order.currency`, copied from the catalog when the order was placed. */
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

export interface Order {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  lines: OrderLine[];
  total: number;
  shippingAddress: ShippingAddress;
  /** The payment provider's token for how the customer pays. */
  paymentMethod: string;
  /** Why the order ended as it did (REJECTED, PAYMENT_FAILED, CANCELLED), when there is more to say. */
  statusReason?: string | undefined;
  trackingNumber?: string | undefined;
  createdAt: string;
  updatedAt: string;
}

/** An order without its lines, as listed. */
export type OrderSummary = Omit<Order, 'lines'> & { lineCount: number };

export interface RequestedItem {
  productId: string;
  quantity: number;
}

/**
 * Prices the requested items from the catalog. The client never supplies prices: every
 * amount here comes from `products`. Unknown products and mixed currencies are the caller's
 * mistake, reported against the item that caused them.
 */
export function priceOrder(
  items: readonly RequestedItem[],
  products: ReadonlyMap<string, ProductPricing>,
): { lines: OrderLine[]; total: number; currency: string } {
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  const lines: OrderLine[] = [];
  let currency: string | undefined;

  items.forEach((item, index) => {
    const field = `items[${index}].productId`;
    if (seen.has(item.productId)) {
      problems.push({ field, message: 'appears more than once; put the total quantity on one line' });
      return;
    }
    seen.add(item.productId);
    const product = products.get(item.productId);
    if (!product) {
      problems.push({ field, message: 'no such product in the catalog' });
      return;
    }
    currency ??= product.currency;
    if (product.currency !== currency) {
      problems.push({ field, message: `is priced in ${product.currency}; an order has one currency (${currency})` });
      return;
    }
    lines.push({
      productId: product.productId,
      productName: product.name,
      unitPrice: product.price,
      quantity: item.quantity,
      lineTotal: product.price * item.quantity,
    });
  });

  if (problems.length > 0 || currency === undefined) {
    throw new ValidationError(problems.length > 0 ? problems : [{ field: 'items', message: 'must not be empty' }]);
  }
  const total = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  return { lines, total, currency };
}

export const isOwner = (principal: Principal, order: Pick<Order, 'customerId'>): boolean =>
  order.customerId === principal.userId;

/**
 * Owners and admins may read an order. Anyone else is told it does not exist, so order ids
 * cannot be probed (the answer for "not yours" and "no such order" is the same 404).
 */
export function assertCanView(principal: Principal, order: Pick<Order, 'orderId' | 'customerId'>): void {
  if (!isOwner(principal, order) && !isAdmin(principal)) {
    throw new NotFoundError(`Order ${order.orderId} was not found`);
  }
}

/** Notifications are the customer's own: not even admins read them. Others get the same 404. */
export function assertIsOwner(principal: Principal, order: Pick<Order, 'orderId' | 'customerId'>): void {
  if (!isOwner(principal, order)) throw new NotFoundError(`Order ${order.orderId} was not found`);
}

/** Only an order that is confirmed (paid, stock reserved) can ship. */
export function assertCanShip(order: Pick<Order, 'orderId' | 'status'>): void {
  if (order.status !== 'CONFIRMED') {
    throw new ConflictError(`Order ${order.orderId} is ${order.status}; only CONFIRMED orders can ship`);
  }
}

/** Only the customer who placed an order may cancel it, and only while it has not shipped or ended. */
export function assertCanCancel(principal: Principal, order: Pick<Order, 'orderId' | 'customerId' | 'status'>): void {
  assertCanView(principal, order);
  if (!isOwner(principal, order)) {
    throw new ForbiddenError('Only the customer who placed an order can cancel it');
  }
  if (!canTransition(order.status, 'CANCELLED')) {
    throw new ConflictError(`Order ${order.orderId} is ${order.status} and can no longer be cancelled`);
  }
}
