import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as responses from '@orders/shared/api-responses';
import { beforeAll, describe, expect, it } from 'vitest';
import { readApiDefinitions, type RouteDefinition } from '#local/apigateway/from-template.ts';
import { readFunctionDefinitions } from '#local/lambda/from-template.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '#local/template/intrinsics.ts';
import { loadTemplate } from '#local/template/load-template.ts';
import { ResourceRegistry } from '#local/template/resource-registry.ts';
import { OPENAPI_PATH, renderOpenApiDocument } from '../../scripts/openapi.ts';
import { OPERATIONS } from '../../scripts/openapi/operations.ts';
import { COMPONENT_SCHEMAS } from '../../scripts/openapi/build-document.ts';
import { checkContract, ContractViolation } from '../support/contract.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface TemplateRoute extends RouteDefinition {
  /** The handler's source. */
  source: string;
}

type JsonObject = Record<string, any>;

let routes: TemplateRoute[];
const committed = (): JsonObject => JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as JsonObject;

beforeAll(async () => {
  const { template, directory } = await loadTemplate(path.join(ROOT, 'template.yaml'));
  const resolver = createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) });
  const functions = readFunctionDefinitions(template, resolver, directory);
  routes = readApiDefinitions(template, resolver, functions).flatMap((api) =>
    api.routes.map((route) => {
      const entry = functions.find((fn) => fn.logicalId === route.functionLogicalId)?.entry;
      if (entry === undefined || !('path' in entry)) throw new Error(`${route.functionLogicalId} has no handler source`);
      return { ...route, source: readFileSync(entry.path, 'utf8') };
    }),
  );
});

const key = (method: string, resourcePath: string) => `${method.toUpperCase()} ${resourcePath}`;

describe('docs/openapi.json', () => {
  it('is what `npm run openapi` generates from the schemas', () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8') === renderOpenApiDocument(), 'docs/openapi.json is stale: run `npm run openapi`').toBe(true);
  });

  it('describes every route and method of template.yaml, and nothing else', () => {
    const documented = Object.entries(committed().paths as JsonObject).flatMap(([resourcePath, item]) =>
      Object.keys(item as JsonObject).map((method) => key(method, resourcePath)),
    );
    expect(documented.sort()).toEqual(routes.map((route) => key(route.method, route.resourcePath)).sort());
  });

  it('marks exactly the routes without an authorizer or API key public, the keyed ones partner, and the admin-only handlers admin', () => {
    const paths = committed().paths as JsonObject;
    for (const route of routes) {
      const operation = paths[route.resourcePath][route.method.toLowerCase()] as JsonObject;
      const adminOnly = /\bassertAdmin\(/.test(route.source);
      const anonymous = route.apiKeyRequired ? [{ PartnerApiKey: [] }] : [];
      const expected = route.authorizer === null ? anonymous : [{ CognitoIdToken: adminOnly ? ['admin'] : [] }];
      expect(operation.security, key(route.method, route.resourcePath)).toEqual(expected);
      expect(operation.responses['401'] !== undefined, `${key(route.method, route.resourcePath)}: 401`).toBe(route.authorizer !== null);
      // A keyed route's 403 is API Gateway's refusal of a missing or unknown key.
      if (route.apiKeyRequired) expect(operation.responses['403'], key(route.method, route.resourcePath)).toEqual({ $ref: '#/components/responses/InvalidApiKey' });
    }
  });

  it('lists the error statuses each handler can answer with, as far as its code shows', () => {
    for (const route of routes) {
      const operation = OPERATIONS.find((candidate) => key(candidate.method, candidate.path) === key(route.method, route.resourcePath))!;
      const expected = new Set<number>();
      // Every route validates a path or query parameter, or a body: 400.
      expect(/\b(pathParameters|queryParameters|jsonBody)\(/.test(route.source), route.functionLogicalId).toBe(true);
      expected.add(400);
      if (/\bjsonBody\(/.test(route.source)) [413, 415].forEach((status) => expected.add(status));
      if (/\bassertAdmin\(/.test(route.source)) expected.add(403);
      if (/schemas\.idempotencyKey/.test(route.source)) [409, 422].forEach((status) => expected.add(status));
      for (const status of expected) expect(operation.problems, `${route.functionLogicalId} answers ${status}`).toContain(status);
      // A handler with a body reads it with jsonBody; one without must not document a body.
      expect(operation.body !== undefined, `${route.functionLogicalId}: request body`).toBe(/\bjsonBody\(/.test(route.source));
    }
  });

  it('documents the Idempotency-Key header where the handler reads it, and x-correlation-id everywhere', () => {
    const paths = committed().paths as JsonObject;
    for (const route of routes) {
      const refs = (paths[route.resourcePath][route.method.toLowerCase()].parameters as JsonObject[]).map((parameter) => parameter.$ref);
      expect(refs).toContain('#/components/parameters/CorrelationId');
      expect(refs.includes('#/components/parameters/IdempotencyKey'), route.functionLogicalId).toBe(/idempotency-key/i.test(route.source));
    }
  });

  it('has examples that the zod schemas accept', () => {
    const document = committed();
    let checked = 0;
    const schemaOf = (ref: string) => {
      const id = ref.replace('#/components/schemas/', '');
      const schema = COMPONENT_SCHEMAS[id];
      if (schema === undefined) throw new Error(`${ref} is no component`);
      return schema;
    };
    // Every media type with an example or examples, wherever it is in the document.
    const visit = (node: unknown, where: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const object = node as JsonObject;
      if (typeof object.schema?.$ref === 'string' && ('example' in object || 'examples' in object)) {
        const values = 'example' in object ? [object.example] : Object.values(object.examples as JsonObject).map((example) => example.value);
        for (const value of values) {
          const result = schemaOf(object.schema.$ref).safeParse(value);
          expect(result.success, `${where}: ${result.error?.message}`).toBe(true);
          checked += 1;
        }
      }
      for (const [name, child] of Object.entries(object)) visit(child, `${where}/${name}`);
    };
    visit(document.paths, '#/paths');
    visit(document.components.responses, '#/components/responses');
    // Success and request examples of every operation, plus one per problem and gateway response.
    expect(checked).toBeGreaterThan(OPERATIONS.length + OPERATIONS.filter((operation) => operation.body).length);
    expect(responses.problem.safeParse(document.components.responses.BadRequest.content['application/problem+json'].example).success).toBe(true);
  });

  it('is lint-clean for Redocly CLI (recommended rules, examples validated against the JSON Schemas)', () => {
    const result = spawnSync(path.join(ROOT, 'node_modules/.bin/redocly'), ['lint', '--format=stylish', OPENAPI_PATH], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      timeout: 120_000,
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(output).not.toMatch(/warning/i);
  });
});

describe('the contract check of the HTTP suite (tests/support/contract.ts)', () => {
  const product = OPERATIONS.find((operation) => operation.operationId === 'getProduct')!.success.example as JsonObject;
  const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => ({
    status,
    json,
    text: JSON.stringify(json),
    headers: new Headers({ 'content-type': 'application/json', 'x-correlation-id': 'c-1', ...headers }),
  });
  const path = `/products/${String(product.productId)}`;

  it('accepts documented answers', () => {
    expect(() => checkContract('GET', path, answer(200, product))).not.toThrow();
    expect(() => checkContract('GET', '/products?limit=5', answer(200, { items: [product] }))).not.toThrow();
    expect(() => checkContract('GET', '/orders', answer(401, { message: 'Unauthorized' }))).not.toThrow();
    // Not a documented operation (API Gateway answers 403 itself): nothing to check.
    expect(() => checkContract('DELETE', path, answer(403, { message: 'Missing Authentication Token' }))).not.toThrow();
  });

  it('refuses a body with a field the document does not name, or without one it requires', () => {
    expect(() => checkContract('GET', path, answer(200, { ...product, PK: 'PRODUCT#1' }))).toThrow(ContractViolation);
    const { stock: _stock, ...withoutStock } = product;
    expect(() => checkContract('GET', path, answer(200, withoutStock))).toThrow(ContractViolation);
  });

  it('refuses a status the operation does not document, and a problem without the correlation header', () => {
    expect(() => checkContract('GET', path, answer(409, {}))).toThrow(/does not list/);
    expect(() => checkContract('GET', '/products', answer(401, { message: 'Unauthorized' }))).toThrow(/does not list/);
    const notFound = { type: 'urn:orders:problem:not-found', title: 'Not found', status: 404, detail: 'gone' };
    const problem = (headers: Record<string, string>) => answer(404, notFound, { 'content-type': 'application/problem+json', ...headers });
    expect(() => checkContract('GET', path, problem({}))).not.toThrow();
    const withoutCorrelation = problem({});
    withoutCorrelation.headers.delete('x-correlation-id');
    expect(() => checkContract('GET', path, withoutCorrelation)).toThrow(/x-correlation-id/);
  });
});
