import { ADMIN_GROUP, schemas } from '@orders/shared';
import * as responses from '@orders/shared/api-responses';
import { z } from 'zod';
import { type ApiSchema, type Operation, OPERATIONS, gatewayStatuses } from './operations.ts';

/**
 * The OpenAPI 3.1 document of the API, built from the zod schemas the handlers validate with
 * (requests, `@orders/shared`) and the response schemas (`@orders/shared/api-responses`), through
 * zod's own JSON Schema output (draft 2020-12, the dialect of OpenAPI 3.1). `npm run openapi`
 * writes it to docs/openapi.json.
 */

type JsonObject = Record<string, unknown>;

/** The shared schemas, by component name: requests as clients send them, responses as the API answers. */
const REQUEST_COMPONENTS: Record<string, ApiSchema> = {
  CreateProductRequest: schemas.createProductBody,
  UpdateProductRequest: schemas.updateProductBody,
  SetStockRequest: schemas.setStockBody,
  PlaceOrderRequest: schemas.placeOrderBody,
  ShipOrderRequest: schemas.shipOrderBody,
  ShippingAddress: schemas.shippingAddress,
};

const RESPONSE_COMPONENTS: Record<string, ApiSchema> = {
  Product: responses.product,
  ProductPage: responses.productPage,
  Order: responses.order,
  OrderLine: responses.orderLine,
  OrderSummary: responses.orderSummary,
  OrderSummaryPage: responses.orderSummaryPage,
  Notification: responses.notification,
  NotificationList: responses.notificationList,
  ShippingAddress: schemas.shippingAddress,
  Problem: responses.problem,
  GatewayError: responses.gatewayError,
};

/** Every component schema by name: what the examples of the document are checked against. */
export const COMPONENT_SCHEMAS: Readonly<Record<string, ApiSchema>> = { ...REQUEST_COMPONENTS, ...RESPONSE_COMPONENTS };

const componentRef = (id: string) => `#/components/schemas/${id}`;

/**
 * Leaves out what only restates the rest: the patterns zod checks `uuid` and `date-time` formats
 * with, and the safe-integer bounds of every `z.int()`.
 */
function tidy({ jsonSchema }: { jsonSchema: JsonObject }): void {
  if (jsonSchema.format === 'uuid' || jsonSchema.format === 'date-time') delete jsonSchema.pattern;
  if (jsonSchema.type === 'integer') {
    if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  }
}

/** Converts a set of named schemas at once, so that each refers to the others by `$ref`. */
function componentSchemas(named: Record<string, ApiSchema>, io: 'input' | 'output'): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas: converted } = z.toJSONSchema(registry, { io, uri: componentRef, unrepresentable: 'throw', override: tidy });
  return Object.fromEntries(
    Object.entries(converted).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, id: _ownId, ...rest } = schema as JsonObject;
      return [id, rest];
    }),
  );
}

/** One schema inline (a parameter's), in the direction it is read. */
function inlineSchema(schema: z.core.$ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'throw', override: tidy }) as JsonObject;
  return rest;
}

function allComponentSchemas(): Record<string, JsonObject> {
  const requests = componentSchemas(REQUEST_COMPONENTS, 'input');
  const answers = componentSchemas(RESPONSE_COMPONENTS, 'output');
  for (const id of Object.keys(requests).filter((id) => id in answers)) {
    // A schema used both ways must read the same both ways, or it needs two components.
    if (JSON.stringify(requests[id]) !== JSON.stringify(answers[id])) throw new Error(`${id} differs as a request and as a response`);
  }
  return Object.fromEntries(Object.entries({ ...requests, ...answers }).sort(([a], [b]) => a.localeCompare(b)));
}

function idOf(schema: ApiSchema, named: Record<string, ApiSchema>): string {
  const id = Object.entries(named).find(([, candidate]) => candidate === schema)?.[0];
  if (id === undefined) throw new Error('A request or response schema of an operation is not a named component');
  return id;
}

const PARAMETER_DESCRIPTIONS: Record<string, string> = {
  productId: 'The product’s id (a UUID).',
  orderId: 'The order’s id (a UUID).',
  limit: 'How many items per page (1 to 100).',
  cursor: 'The `nextCursor` of the previous page; leave out for the first page.',
  status: 'The order status to list.',
};

function parameters(where: 'path' | 'query', schema: z.core.$ZodObject | undefined): JsonObject[] {
  if (schema === undefined) return [];
  return Object.entries(schema._zod.def.shape).map(([name, fieldSchema]) => {
    const description = PARAMETER_DESCRIPTIONS[name];
    return {
      name,
      in: where,
      required: where === 'path' || !z.safeParse(fieldSchema, undefined).success,
      ...(description === undefined ? {} : { description }),
      schema: inlineSchema(fieldSchema, 'input'),
    };
  });
}

const PROBLEM_RESPONSES: Record<number, { name: string; description: string; example: JsonObject }> = {
  400: {
    name: 'BadRequest',
    description: 'The request is invalid: `errors` names each field and what is wrong with it. Nothing was written.',
    example: {
      type: 'urn:orders:problem:validation',
      title: 'Invalid request',
      status: 400,
      detail: 'items[0].quantity: must be at least 1',
      instance: '/orders',
      errors: [{ field: 'items[0].quantity', message: 'must be at least 1' }],
    },
  },
  403: {
    name: 'Forbidden',
    description: 'The caller is signed in but may not do this (the `admin` group only, or not their order).',
    example: { type: 'urn:orders:problem:forbidden', title: 'Forbidden', status: 403, detail: 'This operation is for administrators only', instance: '/products' },
  },
  404: {
    name: 'NotFound',
    description: 'No such resource (or not one the caller may see: the answer is the same).',
    example: {
      type: 'urn:orders:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'Order 0b8e7d6c-5a4f-4b3e-9d2c-1a0f9e8d7c6b was not found',
      instance: '/orders/0b8e7d6c-5a4f-4b3e-9d2c-1a0f9e8d7c6b',
    },
  },
  409: {
    name: 'Conflict',
    description: 'The resource is not in a state that allows this, or a request with the same Idempotency-Key is still being processed (retry shortly).',
    example: {
      type: 'urn:orders:problem:conflict',
      title: 'Conflict',
      status: 409,
      detail: 'Order 0b8e7d6c-5a4f-4b3e-9d2c-1a0f9e8d7c6b is SHIPPED and can no longer be cancelled',
      instance: '/orders/0b8e7d6c-5a4f-4b3e-9d2c-1a0f9e8d7c6b/cancel',
    },
  },
  413: {
    name: 'PayloadTooLarge',
    description: 'The body is larger than 16 KiB (`application/problem+json`); API Gateway itself refuses bodies over 10 MB (`application/json`).',
    example: { type: 'urn:orders:problem:payload-too-large', title: 'Payload too large', status: 413, detail: 'The body must be at most 16384 bytes', instance: '/orders' },
  },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The body is sent with a Content-Type other than JSON.',
    example: { type: 'urn:orders:problem:unsupported-media-type', title: 'Unsupported media type', status: 415, detail: 'Send the body as application/json', instance: '/orders' },
  },
  422: {
    name: 'IdempotencyKeyReused',
    description: 'This Idempotency-Key was already used with a different body. Use a new key for a new order.',
    example: {
      type: 'urn:orders:problem:idempotency-key-reused',
      title: 'Idempotency key reused',
      status: 422,
      detail: 'This Idempotency-Key was already used with a different request body',
      instance: '/orders',
    },
  },
  500: {
    name: 'InternalError',
    description: 'An unexpected failure; nothing about it is disclosed. Safe to retry; quote the `x-correlation-id` if it persists.',
    example: {
      type: 'urn:orders:problem:internal',
      title: 'Internal server error',
      status: 500,
      detail: 'The request could not be completed. It is safe to retry; quote the correlation id if it persists.',
      instance: '/orders',
    },
  },
};

/** API Gateway's own answers: `{"message": ...}`, as AWS sends them. */
const GATEWAY_RESPONSES: Record<number, { name: string; description: string; examples: Record<string, string> }> = {
  401: {
    name: 'Unauthorized',
    description: 'API Gateway refused the request before it reached the API: no ID token in `Authorization`, or one that is invalid or expired. Sign in again.',
    examples: { missing: 'Unauthorized', expired: 'The incoming token has expired' },
  },
  403: {
    name: 'InvalidApiKey',
    description: 'API Gateway refused the request before it reached the API: the route takes an API key and `x-api-key` is missing or not a key of the partners’ usage plan.',
    examples: { invalidKey: 'Forbidden' },
  },
  413: { name: 'GatewayRequestTooLarge', description: 'API Gateway refused a request over its 10 MB limit.', examples: { tooLarge: 'Request Too Long' } },
  429: {
    name: 'TooManyRequests',
    description:
      'API Gateway throttled the request: the stage’s rate and burst limits, or on a keyed route the API key’s usage plan ' +
      '(`Too Many Requests`: its rate and burst, retry with backoff; `Limit Exceeded`: its daily quota, which resets at 00:00 UTC).',
    examples: { throttled: 'Too Many Requests', quotaExceeded: 'Limit Exceeded' },
  },
  502: {
    name: 'BadGateway',
    description: 'The function failed without answering (a crash or a malformed response). Safe to retry.',
    examples: { failed: 'Internal server error' },
  },
  504: { name: 'GatewayTimeout', description: 'The function did not answer within API Gateway’s 29 s.', examples: { timedOut: 'Endpoint request timed out' } },
};

/** What `$context.requestId` looks like in a gateway response's body. */
const EXAMPLE_REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';

const GATEWAY_HEADERS = {
  'x-correlation-id': {
    description: 'The request’s own `x-correlation-id`, echoed when it sent one (not on 413, which API Gateway does not let a gateway response customise).',
    schema: { type: 'string' },
  },
  'x-amzn-RequestId': { description: 'API Gateway’s id of the request.', schema: { type: 'string' } },
  'x-amzn-ErrorType': { description: 'API Gateway’s error type, e.g. `UnauthorizedException`.', schema: { type: 'string' } },
};

const gatewayResponseName = (status: number) => GATEWAY_RESPONSES[status]!.name;
const problemResponseName = (status: number) => PROBLEM_RESPONSES[status]!.name;

function componentResponses(): Record<string, JsonObject> {
  const problem = (status: number) => {
    const { name, description, example } = PROBLEM_RESPONSES[status]!;
    return [
      name,
      {
        description,
        headers: { 'x-correlation-id': { $ref: '#/components/headers/CorrelationId' } },
        content: { 'application/problem+json': { schema: { $ref: componentRef('Problem') }, example } },
      },
    ] as const;
  };
  const gateway = (status: number) => {
    const { name, description, examples } = GATEWAY_RESPONSES[status]!;
    return [
      name,
      {
        description,
        headers: GATEWAY_HEADERS,
        content: {
          'application/json': {
            schema: { $ref: componentRef('GatewayError') },
            examples: Object.fromEntries(
              Object.entries(examples).map(([key, message]) => [key, { value: status === 413 ? { message } : { message, requestId: EXAMPLE_REQUEST_ID } }]),
            ),
          },
        },
      },
    ] as const;
  };
  const entries: Array<readonly [string, JsonObject]> = [
    ...Object.keys(PROBLEM_RESPONSES).map(Number).filter((status) => status !== 413).map(problem),
    ...Object.keys(GATEWAY_RESPONSES).map(Number).filter((status) => status !== 413).map(gateway),
  ];
  // 413 comes from either: the handler's limit (problem+json) or the gateway's (its own body).
  const [, fromHandler] = problem(413);
  const [, fromGateway] = gateway(413);
  entries.push([
    'PayloadTooLarge',
    {
      description: PROBLEM_RESPONSES[413]!.description,
      headers: fromHandler.headers,
      content: { ...fromHandler.content, 'application/json': { ...fromGateway.content['application/json'] } },
    },
  ] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

function successResponse(operation: Operation, id: string): JsonObject {
  const { success } = operation;
  return {
    description: success.description,
    headers: {
      'x-correlation-id': { $ref: '#/components/headers/CorrelationId' },
      ...(success.location === true ? { Location: { $ref: '#/components/headers/Location' } } : {}),
    },
    content: { 'application/json': { schema: { $ref: componentRef(id) }, example: success.example } },
  };
}

function operationObject(operation: Operation): JsonObject {
  const statuses = [...new Set([...operation.problems, 500, ...gatewayStatuses(operation)])].sort((a, b) => a - b);
  const errorResponses = Object.fromEntries(
    statuses.map((status) => {
      if (status === 413) return [String(status), { $ref: '#/components/responses/PayloadTooLarge' }];
      // A keyed route's 403 is the gateway's (no such key); a handler's 403 is a problem.
      const fromGateway = !(status in PROBLEM_RESPONSES) || (status === 403 && operation.access === 'partner');
      const name = fromGateway ? gatewayResponseName(status) : problemResponseName(status);
      return [String(status), { $ref: `#/components/responses/${name}` }];
    }),
  );
  const access = {
    public: 'Public: no token needed.',
    'signed-in': 'Needs a Cognito ID token (any signed-in user).',
    admin: `Needs a Cognito ID token of a user in the \`${ADMIN_GROUP}\` group.`,
    partner: 'Needs a partner API key in `x-api-key` (no Cognito token); its usage plan limits the rate, the burst and the requests per day.',
  }[operation.access];
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    description: `${operation.description}\n\n${access}`,
    security: {
      public: [],
      'signed-in': [{ CognitoIdToken: [] }],
      admin: [{ CognitoIdToken: [ADMIN_GROUP] }],
      partner: [{ PartnerApiKey: [] }],
    }[operation.access],
    ...(operation.access === 'admin' ? { 'x-required-group': ADMIN_GROUP } : {}),
    parameters: [
      ...parameters('path', operation.pathParameters),
      ...parameters('query', operation.query),
      ...(operation.idempotencyKey === true ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
      { $ref: '#/components/parameters/CorrelationId' },
    ],
    ...(operation.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: componentRef(idOf(operation.body.schema, REQUEST_COMPONENTS)) }, example: operation.body.example },
            },
          },
        }),
    responses: {
      [String(operation.success.status)]: successResponse(operation, idOf(operation.success.schema, RESPONSE_COMPONENTS)),
      ...errorResponses,
    },
  };
}

const DESCRIPTION = `The order system's REST API: a public catalog, orders placed and followed by signed-in
customers, and back-office operations for the \`${ADMIN_GROUP}\` group.

**Authentication.** Send a Cognito ID token in \`Authorization\` (bare, as AWS documents it, or
as \`Bearer <token>\`). Locally, \`npm run token -- <email>\` prints one for a seeded user.
Partners read the catalog under \`/partner\` with an API key in \`x-api-key\` instead (the stack's
\`PartnerApiKeyId\` output; locally \`npm start\` prints the key), limited by its usage plan.

**Errors.** Errors the API itself answers are RFC 9457 problem documents
(\`application/problem+json\`): a stable \`type\`, a \`title\`, the \`status\`, a \`detail\` for humans
and, for invalid input, \`errors\` naming each field. A request refused with a 4xx wrote nothing.
API Gateway's own refusals (401, 403 for a missing or unknown API key, 413, 429, 502, 504) have AWS's body instead: \`{"message": "...", "requestId": "..."}\` (413: \`message\` only);
a path or method the API does not have gets 403 \`{"message": "Missing Authentication Token"}\`.

**Correlation.** Every response of the API carries \`x-correlation-id\`: the one the request sent
(letters, digits, \`.:_-\`, up to 128), or API Gateway's request id. It joins the request's logs,
traces and the events it causes; quote it when reporting a problem.

**Retries.** \`POST /orders\` takes an \`Idempotency-Key\`: retry with the same key and body and get
the same order, never a second one. Order processing after that is asynchronous: poll the order
or read its notifications.`;

export function buildOpenApiDocument(): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const operation of OPERATIONS) {
    (paths[operation.path] ??= {})[operation.method.toLowerCase()] = operationObject(operation);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Serverless orders API',
      version: '0.1.0',
      summary: 'Catalog, orders and back office of the serverless orders reference application.',
      description: DESCRIPTION,
      license: { name: 'MIT-0', identifier: 'MIT-0' },
    },
    servers: [
      { url: 'http://127.0.0.1:3000', description: 'The local cloud (`npm start`)' },
      {
        url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}',
        description: 'A deployed stack (the `ApiUrl` output of `sam deploy`)',
        variables: {
          restApiId: { default: 'abcdef1234', description: 'The REST API id of the stack.' },
          region: { default: 'us-east-1' },
          stage: { default: 'dev', enum: ['dev', 'prod'] },
        },
      },
    ],
    security: [{ CognitoIdToken: [] }],
    tags: [
      { name: 'Catalog', description: 'Products: public reads, admin writes.' },
      { name: 'Orders', description: 'A signed-in customer’s orders.' },
      { name: 'Admin', description: `Back office: the \`${ADMIN_GROUP}\` group only.` },
      { name: 'Partners', description: 'Catalog reads for partners, with an API key under a usage plan (rate, burst, daily quota).' },
    ],
    paths,
    components: {
      securitySchemes: {
        CognitoIdToken: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            'An ID token of the stack’s Cognito user pool (not an access token), verified by API Gateway’s ' +
            'Cognito authorizer. Operations that need the `admin` group list it as the requirement’s role.',
        },
        PartnerApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description:
            'An API key of the stack’s partner usage plan (the `PartnerApiKeyId` output names it; locally `npm start` prints it). ' +
            'Only the /partner routes take it.',
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description: 'A unique key per order (a UUID is recommended). A retry with the same key and body returns the same order.',
          schema: inlineSchema(schemas.idempotencyKey, 'input'),
          example: '5f0c8d3e-2a41-4b7e-9c55-1d2e3f4a5b6c',
        },
        CorrelationId: {
          name: 'x-correlation-id',
          in: 'header',
          required: false,
          description: 'Your id for this request, echoed in the response and carried into logs and events; API Gateway’s request id when absent or not of this form.',
          schema: { type: 'string', pattern: '^[\\w.:-]{1,128}$' },
          example: 'checkout-7f3a2c',
        },
      },
      headers: {
        CorrelationId: {
          description: 'The request’s correlation id: the one it sent, or API Gateway’s request id.',
          schema: { type: 'string' },
        },
        Location: { description: 'The path of the resource created.', schema: { type: 'string' } },
      },
      responses: componentResponses(),
      schemas: allComponentSchemas(),
    },
  };
}
