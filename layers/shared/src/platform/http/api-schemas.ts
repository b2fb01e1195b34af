import { z } from 'zod';
import { ORDER_STATUSES } from '../../orders/order.ts';

// The API's input contracts, one place for all of them. Objects are strict: an unknown field
// (say `price` on an order line, or `status` on an order) is rejected and named, never stored.

export const MAX_ORDER_LINES = 25;
export const MAX_LINE_QUANTITY = 100;
export const MAX_PRICE = 100_000_000; // one million in minor units
export const MAX_STOCK = 1_000_000;

const id = (what: string) => z.uuid({ error: `must be a valid ${what} id (a UUID)` });
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const productIdParams = z.object({ productId: id('product') });
export const orderIdParams = z.object({ orderId: id('order') });

const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');
const price = z
  .int('must be a whole number of minor units (cents)')
  .min(1, 'must be at least 1')
  .max(MAX_PRICE, `must be at most ${MAX_PRICE}`);

export const createProductBody = z.strictObject({
  name: text(200),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').default(''),
  price,
  currency: currency.default('USD'),
});

export const updateProductBody = z
  .strictObject({
    name: text(200).optional(),
    description: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
    price: price.optional(),
    currency: currency.optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'must change at least one of name, description, price, currency',
  });

export const setStockBody = z.strictObject({
  stock: z.int('must be a whole number').min(0, 'must not be negative').max(MAX_STOCK, `must be at most ${MAX_STOCK}`),
});

export const shippingAddress = z.strictObject({
  name: text(200),
  line1: text(200),
  line2: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  city: text(100),
  region: z.string().trim().max(100, 'must be at most 100 characters').optional(),
  postalCode: text(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US'),
});

export const placeOrderBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: id('product'),
        quantity: z
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(MAX_LINE_QUANTITY, `must be at most ${MAX_LINE_QUANTITY}`),
      }),
    )
    .min(1, 'must contain at least one item')
    .max(MAX_ORDER_LINES, `must contain at most ${MAX_ORDER_LINES} items`),
  shippingAddress,
  /**
   * A payment method token from the payment provider's client-side SDK (never card data).
   * The local/simulated provider's test tokens are listed in docs/payments.md.
   */
  paymentMethod: z
    .string()
    .regex(/^tok_[a-z0-9_]{1,40}$/, 'must be a payment method token such as tok_visa')
    .default('tok_visa'),
});
export type PlaceOrderBody = z.output<typeof placeOrderBody>;

const limit = z.coerce
  .number('must be a number')
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(100, 'must be at most 100')
  .default(20);

// Query strings are read leniently (unknown parameters such as cache busters are ignored),
// but every parameter we use is validated.
export const pageQuery = z.object({
  limit,
  cursor: z.string().max(2048, 'is not a valid cursor').optional(),
});

export const ordersByStatusQuery = pageQuery.extend({
  status: z.enum(ORDER_STATUSES, { error: `must be one of ${ORDER_STATUSES.join(', ')}` }),
});

/** The Idempotency-Key header: an opaque client token (a UUID is recommended). */
export const idempotencyKey = z
  .string({ error: 'is required: send a unique key per order, e.g. a UUID' })
  .trim()
  .min(1, 'is required: send a unique key per order, e.g. a UUID')
  .max(255, 'must be at most 255 characters')
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

export const shipOrderBody = z.strictObject({
  trackingNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,40}$/, 'must be 4 to 40 letters, digits or dashes'),
});
