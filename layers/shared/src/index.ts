// The shared layer's public surface. Functions import only from here ('@orders/shared');
// the layer build bundles this file into /opt/nodejs/node_modules/@orders/shared.

export { logger, metrics, tracer } from './observability.ts';
export * from './errors.ts';

export { ADMIN_GROUP, isAdmin, parseGroupsClaim, principalFromClaims, type Principal } from './auth/principal.ts';
export { assertAdmin } from './auth/policy.ts';

export { httpHandler, type HttpRequest, type HttpResult, type HttpRoute } from './http/handler.ts';
export { correlationIdOf, header, jsonBody, pathParameters, principalOf, queryParameters } from './http/request.ts';
export { toProblem, type Problem } from './http/problem.ts';

export * as schemas from './schemas/api.ts';
export { parseWith } from './schemas/validation.ts';

export * from './domain/order.ts';
export type * from './domain/product.ts';
export type { Notification } from './domain/notification.ts';

export * as catalog from './services/catalog.ts';
export * as orders from './services/orders.ts';

export type { Page, PageRequest } from './data/pagination.ts';
