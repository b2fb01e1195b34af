import { z } from 'zod';
import type { Product } from '../../catalog/product.ts';
import type { Notification } from '../../notifications/notification.ts';
import { ORDER_STATUSES, type Order, type OrderSummary } from '../../orders/order.ts';
import type { Page } from '../table/pagination.ts';
import type { Problem } from './problem.ts';
import { shippingAddress } from './api-schemas.ts';

// The API's output contracts, one place for all of them: what every response body is. The
// handlers do not import this module (they return domain objects; the type checks below keep
// the two in step), so it adds nothing to the Lambda layer: it is the `@orders/shared/api-responses`
// entry of the workspace only, read by the OpenAPI generator (scripts/openapi.ts) and by the HTTP
// suite, which validates every response it receives against it (tests/support/contract.ts).
// Objects are strict: a field the contract does not name (an internal key, a task token) fails
// the contract check instead of leaking unnoticed.

const timestamp = z.iso.datetime({ error: 'must be an ISO 8601 UTC timestamp' });
const money = z.int().nonnegative();
const currency = z.string().regex(/^[A-Z]{3}$/);
const orderStatus = z.enum(ORDER_STATUSES);

export const product = z.strictObject({
  productId: z.uuid(),
  name: z.string(),
  description: z.string(),
  price: money.describe('Minor units (cents) of `currency`.'),
  currency,
  stock: z.int().nonnegative().describe('Units available to order.'),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const orderLine = z.strictObject({
  productId: z.uuid(),
  productName: z.string(),
  unitPrice: money.describe('Minor units of the order’s currency, copied from the catalog when the order was placed.'),
  quantity: z.int().positive(),
  lineTotal: money,
});

const orderFields = {
  orderId: z.uuid(),
  customerId: z.string().describe('The Cognito user (`sub`) who placed the order.'),
  status: orderStatus,
  currency,
  total: money.describe('Minor units of `currency`: the sum of the line totals.'),
  shippingAddress,
  paymentMethod: z.string().describe('The payment provider’s token for how the customer pays.'),
  statusReason: z.string().optional().describe('Why the order ended as it did (REJECTED, PAYMENT_FAILED, CANCELLED).'),
  trackingNumber: z.string().optional().describe('Set once the order has shipped.'),
  createdAt: timestamp,
  updatedAt: timestamp,
};

export const order = z.strictObject({ ...orderFields, lines: z.array(orderLine).min(1) });

/** An order as listed: without its lines, with their count. */
export const orderSummary = z.strictObject({ ...orderFields, lineCount: z.int().positive() });

export const notification = z.strictObject({
  orderId: z.uuid(),
  customerId: z.string(),
  eventId: z.string(),
  eventType: z.enum(['OrderPlaced', 'OrderStatusChanged', 'OrderCancelled']),
  status: orderStatus,
  message: z.string(),
  occurredAt: timestamp,
});

const page = <Item extends z.ZodType>(item: Item) =>
  z.strictObject({
    items: z.array(item),
    nextCursor: z
      .string()
      .optional()
      .describe('Present when there is more: pass it as `cursor` to get the next page. Opaque; absent on the last page.'),
  });

export const productPage = page(product);
export const orderSummaryPage = page(orderSummary);
export const notificationList = z.strictObject({ items: z.array(notification) });

export const problem = z
  .strictObject({
    type: z.string().describe('A stable identifier of the kind of problem, e.g. `urn:orders:problem:validation`.'),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().describe('What went wrong, for a human; never internal details.'),
    instance: z.string().optional().describe('The request path.'),
    errors: z
      .array(
        z.strictObject({
          field: z.string().describe('Where: `items[0].quantity`, `limit`, `header:Idempotency-Key`.'),
          message: z.string(),
        }),
      )
      .optional()
      .describe('One entry per invalid field (validation problems only).'),
  })
  .describe('An RFC 9457 problem document: every error the API itself answers, as `application/problem+json`.');

export const gatewayError = z
  .strictObject({
    message: z.string(),
    // template.yaml's DEFAULT_4XX/DEFAULT_5XX response templates add it; the 413, which API
    // Gateway does not let a template customise, has only AWS's `message`.
    requestId: z.string().optional(),
  })
  .describe(
  'API Gateway’s own answer, with AWS’s body: `Unauthorized` (401), `Request Too Long` (413), `Too Many Requests` (429), ' +
    '`Internal server error` (502), `Endpoint request timed out` (504), and `Missing Authentication Token` (403) for a path ' +
    'or method the API does not have.',
);

// Compile-time: the schemas describe exactly what the handlers return, field for field.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<_ extends true> = never;
export type ContractMatchesDomain = [
  Holds<Same<z.output<typeof product>, Product>>,
  Holds<Same<z.output<typeof order>, Order>>,
  Holds<Same<z.output<typeof orderSummary>, OrderSummary>>,
  Holds<Same<z.output<typeof notification>, Notification>>,
  Holds<Same<z.output<typeof productPage>['items'], Page<Product>['items']>>,
  Holds<Same<z.output<typeof orderSummaryPage>['items'], Page<OrderSummary>['items']>>,
  Holds<Same<z.output<typeof problem>, Problem>>,
];
