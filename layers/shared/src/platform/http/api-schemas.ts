import * as z from 'zod/mini';
import { ORDER_STATUSES } from '../../orders/order.ts';

// The API's input contracts, one place for all of them. Objects are strict: an unknown field
// (say `price` on an order line, or `status` on an order) is rejected and named, never stored.
// Written with zod/mini, whose functions a bundle keeps only when it calls them (zod's classic
// chained API loads the whole library, about 450 KB minified; docs/decisions.md, "zod/mini").
// The schemas, their messages and their JSON Schema are the same as with the classic API.

export const MAX_ORDER_LINES = 25;
export const MAX_LINE_QUANTITY = 100;
export const MAX_PRICE = 100_000_000; // one million in minor units
export const MAX_STOCK = 1_000_000;

const id = (what: string) => z.uuid({ error: `must be a valid ${what} id (a UUID)` });
const text = (max: number) => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`));
const optionalText = (max: number) => z.optional(z.string().check(z.trim(), z.maxLength(max, `must be at most ${max} characters`)));

export const productIdParams = z.object({ productId: id('product') });
export const orderIdParams = z.object({ orderId: id('order') });

const currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'));
const price = z
  .int('must be a whole number of minor units (cents)')
  .check(z.minimum(1, 'must be at least 1'), z.maximum(MAX_PRICE, `must be at most ${MAX_PRICE}`));

export const createProductBody = z.strictObject({
  name: text(200),
  description: z._default(z.string().check(z.trim(), z.maxLength(2000, 'must be at most 2000 characters')), ''),
  price,
  currency: z._default(currency, 'USD'),
});

export const updateProductBody = z
  .strictObject({
    name: z.optional(text(200)),
    description: optionalText(2000),
    price: z.optional(price),
    currency: z.optional(currency),
  })
  .check(
    z.refine((changes) => Object.values(changes).some((value) => value !== undefined), {
      message: 'must change at least one of name, description, price, currency',
    }),
  );

export const setStockBody = z.strictObject({
  stock: z.int('must be a whole number').check(z.minimum(0, 'must not be negative'), z.maximum(MAX_STOCK, `must be at most ${MAX_STOCK}`)),
});

export const shippingAddress = z.strictObject({
  name: text(200),
  line1: text(200),
  line2: optionalText(200),
  city: text(100),
  region: optionalText(100),
  postalCode: text(20),
  country: z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US')),
});

export const placeOrderBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: id('product'),
        quantity: z
          .int('must be a whole number')
          .check(z.minimum(1, 'must be at least 1'), z.maximum(MAX_LINE_QUANTITY, `must be at most ${MAX_LINE_QUANTITY}`)),
      }),
    )
    .check(z.minLength(1, 'must contain at least one item'), z.maxLength(MAX_ORDER_LINES, `must contain at most ${MAX_ORDER_LINES} items`)),
  shippingAddress,
  /**
   * A payment method token from the payment provider's client-side SDK (never card data).
   * The local/simulated provider's test tokens are listed in docs/payments.md.
   */
  paymentMethod: z._default(z.string().check(z.regex(/^tok_[a-z0-9_]{1,40}$/, 'must be a payment method token such as tok_visa')), 'tok_visa'),
});
export type PlaceOrderBody = z.output<typeof placeOrderBody>;

const limit = z._default(
  z.coerce.number('must be a number').check(z.int('must be a whole number'), z.minimum(1, 'must be at least 1'), z.maximum(100, 'must be at most 100')),
  20,
);

// Query strings are read leniently (unknown parameters such as cache busters are ignored),
// but every parameter we use is validated.
export const pageQuery = z.object({
  limit,
  cursor: z.optional(z.string().check(z.maxLength(2048, 'is not a valid cursor'))),
});

/** Seconds the catalog may be old for this caller (recent-pages.ts): the shop's pages send it, an admin's do not. */
export const CATALOG_MAX_AGE_SECONDS = 60;

export const catalogPageQuery = z.extend(pageQuery, {
  maxAge: z.optional(
    z.coerce
      .number('must be a number')
      .check(z.int('must be a whole number of seconds'), z.minimum(0, 'must be at least 0'), z.maximum(CATALOG_MAX_AGE_SECONDS, `must be at most ${CATALOG_MAX_AGE_SECONDS}`)),
  ),
});

export const ordersByStatusQuery = z.extend(pageQuery, {
  status: z.enum(ORDER_STATUSES, { error: `must be one of ${ORDER_STATUSES.join(', ')}` }),
});

/** The Idempotency-Key header: an opaque client token (a UUID is recommended). */
export const idempotencyKey = z
  .string({ error: 'is required: send a unique key per order, e.g. a UUID' })
  .check(
    z.trim(),
    z.minLength(1, 'is required: send a unique key per order, e.g. a UUID'),
    z.maxLength(255, 'must be at most 255 characters'),
    z.regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces'),
  );

export const shipOrderBody = z.strictObject({
  trackingNumber: z.string().check(z.trim(), z.regex(/^[A-Za-z0-9-]{4,40}$/, 'must be 4 to 40 letters, digits or dashes')),
});
