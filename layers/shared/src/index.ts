// '@orders/shared': what the API functions need. One of the layer's three entry points (with
// './events' and './fulfilment'); functions import only from these, and the
// layer build bundles each into /opt/nodejs/node_modules/@orders/shared.

export { logger, metrics, tracer } from './platform/observability.ts';
export * from './platform/errors.ts';

export { ADMIN_GROUP, isAdmin, parseGroupsClaim, principalFromClaims, type Principal } from './platform/auth/principal.ts';
export { assertAdmin } from './platform/auth/policy.ts';

export { httpHandler, type HttpRequest, type HttpResult, type HttpRoute } from './platform/http/handler.ts';
export { correlationIdOf, header, jsonBody, pathParameters, principalOf, queryParameters } from './platform/http/request.ts';
export { toProblem, type Problem } from './platform/http/problem.ts';

export * as schemas from './platform/http/api-schemas.ts';
export { parseWith } from './platform/validation.ts';

export * from './orders/order.ts';
export type * from './catalog/product.ts';
export type { Notification } from './notifications/notification.ts';

export * as catalog from './catalog/use-cases.ts';
export * as orders from './orders/use-cases.ts';

export type { Page, PageRequest } from './platform/table/pagination.ts';
