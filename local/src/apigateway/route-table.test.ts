import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from './from-template.ts';
import { RouteTable } from './route-table.ts';

const route = (method: string, resourcePath: string, functionLogicalId = `${method} ${resourcePath}`): RouteDefinition => ({
  method,
  resourcePath,
  functionLogicalId,
  authorizer: null,
  apiKeyRequired: false,
});

const table = new RouteTable([
  route('GET', '/products'),
  route('POST', '/products'),
  route('GET', '/products/{productId}'),
  route('PUT', '/products/{productId}/stock'),
  route('GET', '/products/featured'),
  route('ANY', '/files/{proxy+}'),
  route('GET', '/files/{proxy+}', 'files get'),
  route('GET', '/'),
]);

describe('RouteTable', () => {
  it('matches literal paths and methods', () => {
    expect(table.match('POST', '/products')).toMatchObject({ kind: 'route', route: { functionLogicalId: 'POST /products' } });
  });

  it('extracts decoded path parameters', () => {
    expect(table.match('GET', '/products/a%20b')).toEqual({
      kind: 'route',
      route: route('GET', '/products/{productId}'),
      pathParameters: { productId: 'a b' },
    });
    expect(table.match('PUT', '/products/p-1/stock')).toMatchObject({ pathParameters: { productId: 'p-1' } });
  });

  it('prefers a literal segment over a parameter', () => {
    expect(table.match('GET', '/products/featured')).toMatchObject({ route: { resourcePath: '/products/featured' } });
  });

  it('matches greedy paths, preferring an exact method over ANY', () => {
    expect(table.match('GET', '/files/a/b.txt')).toMatchObject({
      route: { functionLogicalId: 'files get' },
      pathParameters: { proxy: 'a/b.txt' },
    });
    expect(table.match('DELETE', '/files/a')).toMatchObject({ route: { functionLogicalId: 'ANY /files/{proxy+}' } });
    expect(table.match('GET', '/files')).toEqual({ kind: 'missing' });
  });

  it('ignores a trailing slash and matches the root', () => {
    expect(table.match('GET', '/products/')).toMatchObject({ route: { resourcePath: '/products' } });
    expect(table.match('GET', '/')).toMatchObject({ route: { resourcePath: '/' } });
  });

  it('reports unknown paths and unknown methods on known paths as missing, like API Gateway', () => {
    expect(table.match('GET', '/nope')).toEqual({ kind: 'missing' });
    expect(table.match('DELETE', '/products')).toEqual({ kind: 'missing' });
    expect(table.match('GET', '/products/p-1/stock')).toEqual({ kind: 'missing' });
  });

  it('offers a preflight for OPTIONS on a known resource, listing its methods', () => {
    expect(table.match('OPTIONS', '/products')).toEqual({ kind: 'preflight', resourcePath: '/products', methods: ['GET', 'POST'] });
  });
});
