import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCAL_PARAMETER_DEFAULTS } from '../cloud/local-cloud.ts';
import { readFunctionDefinitions } from '../lambda/from-template.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { loadTemplate, resourcesOfType } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { readApiDefinitions } from './from-template.ts';

async function apisOf(path: string, parameterOverrides: Record<string, string> = {}) {
  const { template, directory } = await loadTemplate(path);
  const resolver = createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO), parameterOverrides });
  const functions = readFunctionDefinitions(template, resolver, directory);
  return { template, functions, apis: readApiDefinitions(template, resolver, functions) };
}

describe('readApiDefinitions', () => {
  it('reads routes, authorizers, Cors and gateway responses from the template', async () => {
    const { apis } = await apisOf(fileURLToPath(new URL('./fixtures/template.yaml', import.meta.url)));
    expect(apis).toHaveLength(1);
    const [api] = apis;
    expect(api).toMatchObject({
      logicalId: 'Api',
      stageName: 'test',
      defaultAuthorizer: 'Cognito',
      authorizePreflight: false,
      binaryMediaTypes: ['image/png'],
      authorizers: { Cognito: { name: 'Cognito', userPoolLogicalIds: ['UserPool'], header: 'Authorization' } },
      cors: { allowOrigin: 'http://localhost:5173', allowHeaders: 'Authorization,Content-Type', maxAge: '600' },
      gatewayResponses: { DEFAULT_4XX: { headers: { 'Access-Control-Allow-Origin': 'http://localhost:5173' } } },
    });
    expect(api?.routes).toContainEqual({ method: 'GET', resourcePath: '/public/{name}', functionLogicalId: 'EchoFunction', authorizer: null, apiKeyRequired: false });
    expect(api?.routes).toContainEqual({ method: 'GET', resourcePath: '/me', functionLogicalId: 'EchoFunction', authorizer: 'Cognito', apiKeyRequired: false });
    expect(api?.routes).toContainEqual({ method: 'ANY', resourcePath: '/files/{proxy+}', functionLogicalId: 'EchoFunction', authorizer: null, apiKeyRequired: false });
  });

  it('reads the usage plan (intrinsics resolved) and which routes require one of its keys', async () => {
    const { apis } = await apisOf(fileURLToPath(new URL('./fixtures/template.yaml', import.meta.url)));
    expect(apis[0]?.usagePlan).toEqual({
      logicalId: 'ApiUsagePlan',
      apiKeyLogicalId: 'ApiApiKey',
      throttle: { rateLimit: 1, burstLimit: 3 },
      quota: { limit: 5, period: 'DAY' },
    });
    expect(apis[0]?.routes).toContainEqual({
      method: 'GET',
      resourcePath: '/keyed/{name}',
      functionLogicalId: 'EchoFunction',
      authorizer: null,
      apiKeyRequired: true,
    });
  });

  it('reads the project template’s partner usage plan (an AWS::ApiGateway::UsagePlan naming the API) from its parameters, and keys only the /partner routes', async () => {
    const { apis } = await apisOf(fileURLToPath(new URL('../../../template.yaml', import.meta.url)));
    expect(apis[0]?.usagePlan).toEqual({
      logicalId: 'PartnerUsagePlan',
      apiKeyLogicalId: 'PartnerApiKey',
      throttle: { rateLimit: 10, burstLimit: 20 },
      quota: { limit: 10_000, period: 'DAY' },
    });
    const keyed = (apis[0]?.routes ?? []).filter((route) => route.apiKeyRequired).map((route) => `${route.method} ${route.resourcePath}`);
    expect(keyed.sort()).toEqual(['GET /partner/products', 'GET /partner/products/{productId}']);
  });

  it('refuses a keyed route on an API without a usage plan (every call would be refused)', async () => {
    const { template, directory } = await loadTemplate(fileURLToPath(new URL('./fixtures/template.yaml', import.meta.url)));
    const api = template.Resources.Api!;
    delete ((api.Properties as { Auth: Record<string, unknown> }).Auth).UsagePlan;
    const resolver = createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) });
    expect(() => readApiDefinitions(template, resolver, readFunctionDefinitions(template, resolver, directory))).toThrow(
      'EchoFunction.Events.Keyed requires an API key, but Api declares no Auth.UsagePlan',
    );
  });

  it('reads the project template’s gateway responses: static headers, headers mapped from the request, body templates', async () => {
    const { apis } = await apisOf(fileURLToPath(new URL('../../../template.yaml', import.meta.url)));
    const responses = apis[0]?.gatewayResponses ?? {};
    for (const family of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(responses[family]?.mappedHeaders).toEqual({ 'x-correlation-id': { location: 'header', name: 'x-correlation-id' } });
      expect(Object.keys(responses[family]?.headers ?? {})).toEqual(['Access-Control-Allow-Origin']);
      expect(responses[family]?.templates?.['application/json']).toContain('"requestId":"$context.requestId"');
    }
  });

  it("allows any origin locally, where the project template's default is the web app's CloudFront origin", async () => {
    const { apis, functions } = await apisOf(fileURLToPath(new URL('../../../template.yaml', import.meta.url)), LOCAL_PARAMETER_DEFAULTS);
    expect(apis[0]?.cors?.allowOrigin).toBe('*');
    for (const family of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(apis[0]?.gatewayResponses[family]?.headers).toEqual({ 'Access-Control-Allow-Origin': '*' });
    }
    expect(functions.length).toBeGreaterThan(0);
    expect(new Set(functions.map((fn) => fn.environment.CORS_ALLOW_ORIGIN))).toEqual(new Set(['*']));
  });

  it('reads every Api event of the project template into a route', async () => {
    const path = fileURLToPath(new URL('../../../template.yaml', import.meta.url));
    const { template, apis } = await apisOf(path);
    const declared = resourcesOfType(template, 'AWS::Serverless::Function').flatMap(([, fn]) =>
      Object.values((fn.Properties?.Events ?? {}) as Record<string, { Type: string }>).filter((event) => event.Type === 'Api'),
    );
    expect(apis.flatMap((api) => api.routes)).toHaveLength(declared.length);
    for (const route of apis.flatMap((api) => api.routes)) {
      expect(route.authorizer === null || apis.some((api) => route.authorizer! in api.authorizers)).toBe(true);
    }
  });
});
