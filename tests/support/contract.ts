import * as responses from '@orders/shared/api-responses';
import { type ApiSchema, documentedStatuses, gatewayStatuses, OPERATIONS, type Operation } from '../../scripts/openapi/operations.ts';

/**
 * The documented contract (docs/openapi.json, built from scripts/openapi/operations.ts and the
 * response schemas), checked against what the API really answers: every response the HTTP suite
 * receives from a documented operation must have a documented status, and a body that validates
 * against the documented schema (strict: no field the document does not name). `api()` runs it
 * on every call, so the whole suite keeps the document honest.
 */

const ROUTES = OPERATIONS.map((operation) => ({
  operation,
  pattern: new RegExp(`^${operation.path.replace(/\{[^}/]+\}/g, '[^/]+')}$`),
}));

export interface ObservedResponse {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

/** The documented operation a request goes to, if any (undocumented paths and methods are the gateway's 403). */
export function operationFor(method: string, path: string): Operation | undefined {
  const { pathname } = new URL(path, 'http://api.invalid');
  return ROUTES.find((route) => route.operation.method === method.toUpperCase() && route.pattern.test(pathname))?.operation;
}

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

export function checkContract(method: string, path: string, response: ObservedResponse): void {
  const operation = operationFor(method, path);
  if (operation === undefined) return;
  const route = `${operation.method} ${operation.path}`;
  const seen = `${method.toUpperCase()} ${path} answered ${response.status}`;
  if (!documentedStatuses(operation).includes(response.status)) {
    throw new ContractViolation(`${seen}, a status docs/openapi.json does not list for ${route} (scripts/openapi/operations.ts)`);
  }
  const contentType = response.headers.get('content-type') ?? '';
  const validate = (schema: ApiSchema, what: string) => {
    const result = schema.safeParse(response.json);
    if (!result.success) {
      throw new ContractViolation(`${seen} with a body that is not the documented ${what}: ${result.error.message}\n${response.text}`);
    }
  };
  const fromApplication = () => {
    if (response.headers.get('x-correlation-id') === null) throw new ContractViolation(`${seen} without the documented x-correlation-id header`);
  };
  if (response.status === operation.success.status) {
    fromApplication();
    validate(operation.success.schema, `${response.status} body of ${route}`);
    if (operation.success.location === true && response.headers.get('location') === null) {
      throw new ContractViolation(`${seen} without the documented Location header`);
    }
  } else if (contentType.startsWith('application/problem+json')) {
    if (!operation.problems.includes(response.status) && response.status !== 500) {
      throw new ContractViolation(`${seen} as problem+json, which ${route} is not documented to answer with that status`);
    }
    fromApplication();
    validate(responses.problem, 'Problem');
    if ((response.json as { status?: unknown }).status !== response.status) throw new ContractViolation(`${seen} with a problem whose status differs`);
  } else if (gatewayStatuses(operation).includes(response.status)) {
    validate(responses.gatewayError, "API Gateway's {message} body");
  } else {
    throw new ContractViolation(`${seen} with a ${contentType || 'untyped'} body, which the document does not describe`);
  }
}
