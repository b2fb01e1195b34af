import { schemas } from '@orders/shared';
import * as responses from '@orders/shared/api-responses';
import type { z } from 'zod';
import type { ZodMiniType } from 'zod/mini';

/**
 * A schema of the API: the requests' are zod/mini (they load in the Lambda layer), the
 * responses' are classic zod (the generator and the tests only). Both validate and convert alike.
 */
export type ApiSchema = z.ZodType | ZodMiniType;

/**
 * Every route of the API as documented: what it is for, who may call it, what it reads, what it
 * answers and with which statuses. The routes themselves are template.yaml's (its Api events);
 * tests/template/openapi.test.ts fails when this table and the template disagree, on a route or
 * on which routes are public. The statuses are declared here, by reading what each handler can
 * throw (platform/errors.ts, mapped in platform/http/problem.ts); the HTTP suite then checks every
 * status it receives is one declared here, and every body validates (tests/support/contract.ts).
 */

/**
 * Who may call: anyone, any signed-in user (the Cognito authorizer), the `admin` group only, or
 * a partner with an API key of the usage plan (`x-api-key`, no Cognito user).
 */
export type Access = 'public' | 'signed-in' | 'admin' | 'partner';

export interface Operation {
  method: 'GET' | 'POST' | 'PUT';
  /** The resource path, as in template.yaml. */
  path: string;
  operationId: string;
  tag: 'Catalog' | 'Orders' | 'Admin' | 'Partners';
  summary: string;
  description: string;
  access: Access;
  pathParameters?: z.core.$ZodObject;
  query?: z.core.$ZodObject;
  /** The JSON request body, with an example a client could send as it is. */
  body?: { schema: ApiSchema; example: unknown };
  /** POST /orders: the Idempotency-Key header is required. */
  idempotencyKey?: boolean;
  success: {
    status: 200 | 201;
    description: string;
    schema: ApiSchema;
    example: unknown;
    /** 201 responses carry the new resource's path in `Location`. */
    location?: boolean;
  };
  /**
   * The statuses the handler itself answers with problem+json besides 500 (which every route
   * can): 400 ValidationError, 403 ForbiddenError, 404 NotFoundError, 409 ConflictError,
   * 413 PayloadTooLargeError, 415 UnsupportedMediaTypeError, 422 IdempotencyKeyReusedError.
   */
  problems: number[];
}

const PRODUCT_ID = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const ORDER_ID = '0b8e7d6c-5a4f-4b3e-9d2c-1a0f9e8d7c6b';
const CUSTOMER_ID = '94b8a4e8-7081-70f2-4c1d-2a3b4c5d6e7f';
const CREATED = '2026-03-01T09:30:00.000Z';
const UPDATED = '2026-03-01T09:31:12.000Z';

const productExample = {
  productId: PRODUCT_ID,
  name: 'Espresso cup',
  description: 'Porcelain, 90 ml.',
  price: 1250,
  currency: 'USD',
  stock: 40,
  createdAt: CREATED,
  updatedAt: UPDATED,
};

const shippingAddressExample = {
  name: 'Alice Example',
  line1: '1 Main Street',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};

const orderFieldsExample = {
  orderId: ORDER_ID,
  customerId: CUSTOMER_ID,
  status: 'PENDING',
  currency: 'USD',
  total: 2500,
  shippingAddress: shippingAddressExample,
  paymentMethod: 'tok_visa',
  createdAt: CREATED,
  updatedAt: CREATED,
};

const orderExample = {
  ...orderFieldsExample,
  lines: [{ productId: PRODUCT_ID, productName: 'Espresso cup', unitPrice: 1250, quantity: 2, lineTotal: 2500 }],
};

const orderSummaryExample = { ...orderFieldsExample, status: 'CONFIRMED', updatedAt: UPDATED, lineCount: 1 };

const NEXT_CURSOR = 'eyJQSyI6IlBST0RVQ1QjNmYxYyJ9';

const pageDescription =
  'Newest first, `limit` at a time (default 20, at most 100). When `nextCursor` is present, ' +
  'pass it as `cursor` for the next page.';

export const OPERATIONS: readonly Operation[] = [
  {
    method: 'GET',
    path: '/products',
    operationId: 'listProducts',
    tag: 'Catalog',
    summary: 'List the catalog',
    description:
      'The public catalog, by name, `limit` at a time. When `nextCursor` is present, pass it as `cursor` for the next page. ' +
      'With `maxAge` (seconds, at most 60) the caller accepts a page read up to that long ago, which the function may serve from memory ' +
      '(the shop sends 10; without it every request reads the table, so a change is visible at once).',
    access: 'public',
    query: schemas.catalogPageQuery,
    success: {
      status: 200,
      description: 'A page of products.',
      schema: responses.productPage,
      example: { items: [productExample], nextCursor: NEXT_CURSOR },
    },
    problems: [400],
  },
  {
    method: 'GET',
    path: '/products/{productId}',
    operationId: 'getProduct',
    tag: 'Catalog',
    summary: 'Get a product',
    description: 'One catalog entry, with the stock available to order.',
    access: 'public',
    pathParameters: schemas.productIdParams,
    success: { status: 200, description: 'The product.', schema: responses.product, example: productExample },
    problems: [400, 404],
  },
  // The same reads for partners, server to server: an API key instead of a user, and the key's
  // usage plan bounding each partner's rate, burst and daily quota (README, "Partner API keys").
  {
    method: 'GET',
    path: '/partner/products',
    operationId: 'listPartnerProducts',
    tag: 'Partners',
    summary: 'List the catalog (partners)',
    description: 'The catalog as `GET /products` lists it, for partners: by name, `limit` at a time; pass `nextCursor` as `cursor` for the next page.',
    access: 'partner',
    query: schemas.catalogPageQuery,
    success: {
      status: 200,
      description: 'A page of products.',
      schema: responses.productPage,
      example: { items: [productExample], nextCursor: NEXT_CURSOR },
    },
    problems: [400],
  },
  {
    method: 'GET',
    path: '/partner/products/{productId}',
    operationId: 'getPartnerProduct',
    tag: 'Partners',
    summary: 'Get a product (partners)',
    description: 'One catalog entry as `GET /products/{productId}` answers it, for partners.',
    access: 'partner',
    pathParameters: schemas.productIdParams,
    success: { status: 200, description: 'The product.', schema: responses.product, example: productExample },
    problems: [400, 404],
  },
  {
    method: 'POST',
    path: '/products',
    operationId: 'createProduct',
    tag: 'Catalog',
    summary: 'Add a product',
    description: 'Adds a product with no stock; set its stock with `PUT /products/{productId}/stock`.',
    access: 'admin',
    body: {
      schema: schemas.createProductBody,
      example: { name: 'Espresso cup', description: 'Porcelain, 90 ml.', price: 1250, currency: 'USD' },
    },
    success: {
      status: 201,
      description: 'The product as created.',
      schema: responses.product,
      example: { ...productExample, stock: 0, updatedAt: CREATED },
      location: true,
    },
    problems: [400, 403, 413, 415],
  },
  {
    method: 'PUT',
    path: '/products/{productId}',
    operationId: 'updateProduct',
    tag: 'Catalog',
    summary: 'Change a product',
    description: 'Changes any of name, description, price and currency; the fields left out keep their values. Orders already placed keep the prices they were placed at.',
    access: 'admin',
    pathParameters: schemas.productIdParams,
    body: { schema: schemas.updateProductBody, example: { price: 1400 } },
    success: {
      status: 200,
      description: 'The product as changed.',
      schema: responses.product,
      example: { ...productExample, price: 1400 },
    },
    problems: [400, 403, 404, 413, 415],
  },
  {
    method: 'PUT',
    path: '/products/{productId}/stock',
    operationId: 'setProductStock',
    tag: 'Catalog',
    summary: 'Set a product’s stock',
    description: 'Sets the quantity available to order (not an increment: the value replaces the current one).',
    access: 'admin',
    pathParameters: schemas.productIdParams,
    body: { schema: schemas.setStockBody, example: { stock: 40 } },
    success: { status: 200, description: 'The product with its new stock.', schema: responses.product, example: productExample },
    problems: [400, 403, 404, 413, 415],
  },
  {
    method: 'POST',
    path: '/orders',
    operationId: 'placeOrder',
    tag: 'Orders',
    summary: 'Place an order',
    description:
      'Places an order for the caller, priced from the catalog (the client never sends prices). ' +
      'The order starts `PENDING`; fulfilment (stock, payment) happens afterwards, and the order ' +
      'becomes `CONFIRMED`, `REJECTED` or `PAYMENT_FAILED`: poll `GET /orders/{orderId}` or read ' +
      'its notifications.\n\nThe `Idempotency-Key` header makes retries safe: the same key with ' +
      'the same body returns the same order (201 again); the same key with another body is refused (422).',
    access: 'signed-in',
    body: {
      schema: schemas.placeOrderBody,
      example: { items: [{ productId: PRODUCT_ID, quantity: 2 }], shippingAddress: shippingAddressExample, paymentMethod: 'tok_visa' },
    },
    idempotencyKey: true,
    success: {
      status: 201,
      description: 'The order as placed (or, for a retry with the same key and body, as it was placed then).',
      schema: responses.order,
      example: orderExample,
      location: true,
    },
    // 409: a request with the same key is still being processed.
    problems: [400, 409, 413, 415, 422],
  },
  {
    method: 'GET',
    path: '/orders',
    operationId: 'listMyOrders',
    tag: 'Orders',
    summary: 'List my orders',
    description: `The caller’s own orders, without their lines. ${pageDescription}`,
    access: 'signed-in',
    query: schemas.pageQuery,
    success: {
      status: 200,
      description: 'A page of the caller’s orders.',
      schema: responses.orderSummaryPage,
      example: { items: [orderSummaryExample] },
    },
    problems: [400],
  },
  {
    method: 'GET',
    path: '/orders/{orderId}',
    operationId: 'getOrder',
    tag: 'Orders',
    summary: 'Get an order',
    description: 'The order with its lines. Its owner and admins may read it; anyone else gets 404, as for an order that does not exist.',
    access: 'signed-in',
    pathParameters: schemas.orderIdParams,
    success: { status: 200, description: 'The order.', schema: responses.order, example: orderExample },
    problems: [400, 404],
  },
  {
    method: 'POST',
    path: '/orders/{orderId}/cancel',
    operationId: 'cancelOrder',
    tag: 'Orders',
    summary: 'Cancel an order',
    description:
      'The customer who placed the order cancels it, while it is `PENDING` or `CONFIRMED` (not yet shipped). ' +
      'Stock held for it is released and a payment taken is refunded. No body.',
    access: 'signed-in',
    pathParameters: schemas.orderIdParams,
    success: {
      status: 200,
      description: 'The order, now `CANCELLED`.',
      schema: responses.order,
      example: { ...orderExample, status: 'CANCELLED', updatedAt: UPDATED },
    },
    // 403: an admin may read the order but only its customer may cancel it; 409: too late.
    problems: [400, 403, 404, 409],
  },
  {
    method: 'GET',
    path: '/orders/{orderId}/notifications',
    operationId: 'listOrderNotifications',
    tag: 'Orders',
    summary: 'What I was told about an order',
    description: 'The notifications sent to the customer about their order, oldest first. The order’s owner only: anyone else gets 404.',
    access: 'signed-in',
    pathParameters: schemas.orderIdParams,
    success: {
      status: 200,
      description: 'Every notification of the order.',
      schema: responses.notificationList,
      example: {
        items: [
          {
            orderId: ORDER_ID,
            customerId: CUSTOMER_ID,
            eventId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
            eventType: 'OrderPlaced',
            status: 'PENDING',
            message: 'We received your order of $25.00.',
            occurredAt: CREATED,
          },
        ],
      },
    },
    problems: [400, 404],
  },
  {
    method: 'GET',
    path: '/admin/orders',
    operationId: 'listOrdersByStatus',
    tag: 'Admin',
    summary: 'List orders in one status',
    description: `Every customer’s orders in the given status, without their lines. ${pageDescription}`,
    access: 'admin',
    query: schemas.ordersByStatusQuery,
    success: {
      status: 200,
      description: 'A page of orders.',
      schema: responses.orderSummaryPage,
      example: { items: [orderSummaryExample], nextCursor: NEXT_CURSOR },
    },
    problems: [400, 403],
  },
  {
    method: 'POST',
    path: '/admin/orders/{orderId}/ship',
    operationId: 'shipOrder',
    tag: 'Admin',
    summary: 'Ship an order',
    description: 'Records the shipment of a `CONFIRMED` order with its tracking number; the reserved stock is committed and the order can no longer be cancelled.',
    access: 'admin',
    pathParameters: schemas.orderIdParams,
    body: { schema: schemas.shipOrderBody, example: { trackingNumber: '1Z999AA10123456784' } },
    success: {
      status: 200,
      description: 'The order, now `SHIPPED`.',
      schema: responses.order,
      example: { ...orderExample, status: 'SHIPPED', trackingNumber: '1Z999AA10123456784', updatedAt: UPDATED },
    },
    // 409: the order is not CONFIRMED (still pending, already shipped, cancelled, ...).
    problems: [400, 403, 404, 409, 413, 415],
  },
];

/** The statuses API Gateway itself may answer an operation with (`{"message": ...}` bodies). */
export function gatewayStatuses(operation: Pick<Operation, 'access' | 'body'>): number[] {
  return [
    ...(operation.access === 'public' || operation.access === 'partner' ? [] : [401]),
    // A missing or unknown API key on a keyed route: API Gateway's 403 (INVALID_API_KEY).
    ...(operation.access === 'partner' ? [403] : []),
    // API Gateway's own payload limit (10 MB); the handlers refuse much less (413 problem+json).
    ...(operation.body === undefined ? [] : [413]),
    429,
    502,
    504,
  ];
}

/** Every status an operation may answer with, success first. */
export function documentedStatuses(operation: Operation): number[] {
  return [...new Set([operation.success.status, ...operation.problems, 500, ...gatewayStatuses(operation)])].sort((a, b) => a - b);
}
