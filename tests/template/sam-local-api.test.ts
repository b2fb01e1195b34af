import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLog, type LocalCloudLog } from '#local/cloud/local-cloud-log.ts';
import { type LocalCloud, startLocalCloud } from '#local/cloud/local-cloud.ts';
import { idTokenFor } from '#local/seed/sign-in.ts';
import { freePort, waitUntil } from '#local/core/ports.ts';
import { BASE_FILE, samLocalEnvVars, type SamEnvVars } from '../../scripts/sam-local-env.ts';
import { ROOT, loadTemplate, resource, resourcesOfType, run, TEMPLATE, toolEnv, venvTool } from './support/tools.ts';

// `sam local start-api --parameter-overrides LocalAuthorizer=true` (docs/decisions.md, D24),
// proven without Docker with SAM CLI's own code, in process, from the project venv
// (tests/template/support/sam_local_api.py):
// - its API provider lists, for every route of the template, the authorizer in front of it;
// - its API Gateway emulation serves the built template against a running local cloud, with
//   tokens from the local cloud's user pool: requests go through LocalAuthorizerFunction to the
//   handlers. Only the container is replaced (NodeRuntime runs the built code in Node 24).

const SUPPORT = path.join(ROOT, 'tests/template/support/sam_local_api.py');
const LOCAL_AUTHORIZER = { LocalAuthorizer: 'true' };

const template = loadTemplate();

interface ListedRoute {
  path: string;
  methods: string[];
  function: string;
  authorizer: { name: string; type: string; function: string; identitySources: string[] } | null;
}

/** Every Api event of the template: method, path, function, and whether it says `Authorizer: NONE`. */
const templateRoutes = resourcesOfType(template, 'AWS::Serverless::Function').flatMap(([logicalId, fn]) =>
  Object.values((fn.Properties?.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, unknown> }>)
    .filter((event) => event.Type === 'Api')
    .map((event) => ({
      method: String(event.Properties.Method).toUpperCase(),
      path: String(event.Properties.Path),
      function: logicalId,
      public: (event.Properties.Auth as { Authorizer?: string } | undefined)?.Authorizer === 'NONE',
    })),
);

function listRoutes(templateFile: string, overrides: Record<string, string>): ListedRoute[] {
  const result = run(venvTool('python'), [SUPPORT, 'routes', templateFile, JSON.stringify(overrides)]);
  if (result.status !== 0) throw new Error(`SAM CLI's API provider failed:\n${result.output}`);
  return JSON.parse(result.stdout) as ListedRoute[];
}

const routeFor = (routes: ListedRoute[], method: string, routePath: string) =>
  routes.find((route) => route.path === routePath && route.methods.includes(method));

describe('template.yaml: the stand-in authorizer exists only for sam local', () => {
  it('is off unless LocalAuthorizer=true, and everything it needs is under that condition', () => {
    expect(template.Parameters?.LocalAuthorizer).toMatchObject({ Default: 'false', AllowedValues: ['true', 'false'] });
    expect((template as { Conditions?: Record<string, unknown> }).Conditions?.UseLocalAuthorizer).toEqual({
      'Fn::Equals': [{ Ref: 'LocalAuthorizer' }, 'true'],
    });
    expect(resource(template, 'LocalAuthorizerFunction').Condition).toBe('UseLocalAuthorizer');
    expect(resource(template, 'LocalAuthorizerLogGroup').Condition).toBe('UseLocalAuthorizer');
  });

  it('leaves a Cognito user pool authorizer in AWS, and nothing deployed refers to the stand-in', () => {
    const transformed = loadTemplate('transform');
    const api = resource(transformed, 'OrdersApi').Properties as { Body: { securityDefinitions: Record<string, unknown> } };
    expect(api.Body.securityDefinitions).toEqual({
      CognitoAuthorizer: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'cognito_user_pools',
        'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [{ 'Fn::GetAtt': ['UserPool', 'Arn'] }] },
      },
      // The partner routes' API key (the usage plan's), which is not an authorizer.
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
    });
    const unconditional = Object.entries(transformed.Resources).filter(([, candidate]) => candidate.Condition === undefined);
    for (const [logicalId, candidate] of unconditional) {
      expect(JSON.stringify(candidate), `${logicalId} refers to the sam local authorizer`).not.toContain('LocalAuthorizer');
    }
    const localOnly = Object.entries(transformed.Resources).filter(([, candidate]) => candidate.Condition !== undefined);
    // Its version and `live` alias (Globals' AutoPublishAlias) carry the condition too; the
    // version's logical id ends in a hash of the function.
    const localIds = localOnly.filter(([, candidate]) => candidate.Condition === 'UseLocalAuthorizer').map(([id]) => id.replace(/Version[0-9a-f]{10}$/, 'Version<hash>'));
    expect(localIds.sort()).toEqual([
      'LocalAuthorizerFunction',
      'LocalAuthorizerFunctionAliaslive',
      'LocalAuthorizerFunctionRole',
      'LocalAuthorizerFunctionVersion<hash>',
      'LocalAuthorizerLogGroup',
    ]);
  });
});

describe("SAM CLI's API provider (what `sam local start-api` serves)", () => {
  it('puts LocalAuthorizerFunction, as a TOKEN authorizer on the Authorization header, in front of every protected route', () => {
    const routes = listRoutes(TEMPLATE, LOCAL_AUTHORIZER);
    expect(templateRoutes.length).toBeGreaterThan(0);
    expect(routes).toHaveLength(templateRoutes.length);
    for (const expected of templateRoutes) {
      const listed = routeFor(routes, expected.method, expected.path);
      const label = `${expected.method} ${expected.path}`;
      expect(listed?.function, label).toBe(expected.function);
      expect(listed?.authorizer, label).toEqual(
        expected.public
          ? null
          : { name: 'CognitoAuthorizer', type: 'token', function: 'LocalAuthorizerFunction', identitySources: ['HeaderIdentitySource:Authorization'] },
      );
    }
    // No authorizer: the public catalog, and the partners' routes, which take an API key instead
    // (sam local does not check API keys; the local cloud does).
    expect(templateRoutes.filter((route) => route.public).map((route) => `${route.method} ${route.path}`).sort()).toEqual([
      'GET /partner/products',
      'GET /partner/products/{productId}',
      'GET /products',
      'GET /products/{productId}',
    ]);
  });

  it('has no authorizer at all without LocalAuthorizer=true: it skips the Cognito one', () => {
    const routes = listRoutes(TEMPLATE, {});
    expect(routes).toHaveLength(templateRoutes.length);
    expect(routes.filter((route) => route.authorizer !== null)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The emulation, end to end
// ---------------------------------------------------------------------------------------------

let scratch: string;
let builtTemplate: string;
let cloud: LocalCloud;
let cloudLog: LocalCloudLog & { close(): Promise<void> };
let server: ChildProcess;
let serverOutput = '';
let apiUrl: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'orders-sam-local-api-'));
  const build = run(venvTool('sam'), ['build', '--build-dir', path.join(scratch, 'build'), '--cache-dir', path.join(scratch, 'cache')]);
  if (build.status !== 0) throw new Error(`sam build failed:\n${build.output}`);
  builtTemplate = path.join(scratch, 'build', 'template.yaml');

  // The local cloud `npm start` runs, on free ports, from the same template.yaml.
  const [api, dynamoDb, cognito] = await Promise.all([freePort(), freePort(), freePort()]);
  cloudLog = await fileLog(path.join(scratch, 'local-cloud.log'));
  cloud = await startLocalCloud({
    templatePath: TEMPLATE,
    ports: { api, dynamoDb, cognito },
    cognitoDataDirectory: path.join(scratch, 'cognito'),
    log: cloudLog,
  });
  for (const user of cloud.users) tokens[user.email] = await idTokenFor(cloud.cognitoEndpoint, cloud.clientId, user.email, cloud.password, cloud.region);

  // What `npm run sam-local-env -- --host 127.0.0.1` writes (the containers' view under
  // --docker-network host); here the "containers" are processes on this machine.
  const base = JSON.parse(readFileSync(BASE_FILE, 'utf8')) as SamEnvVars;
  const envVars = samLocalEnvVars(base, cloud, '127.0.0.1');
  const envVarsFile = path.join(scratch, 'sam-local-env.json');
  writeFileSync(envVarsFile, JSON.stringify(envVars));

  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  server = spawn(venvTool('python'), [SUPPORT, 'serve', builtTemplate, JSON.stringify(LOCAL_AUTHORIZER), envVarsFile, String(port)], {
    cwd: ROOT,
    env: toolEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
  await waitUntil('SAM CLI’s local API', async () => (await fetch(`${apiUrl}/products`, { method: 'OPTIONS' })).status === 200, {
    timeoutMs: 60_000,
    intervalMs: 250,
    abort: () => (server.exitCode === null ? undefined : new Error(`sam_local_api.py exited ${server.exitCode}:\n${serverOutput}`)),
  });
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await cloud?.stop();
  await cloudLog?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: unknown;
}

async function call(method: string, routePath: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const response = await fetch(`${apiUrl}${routePath}`, {
    method,
    headers: {
      ...(options.token === undefined ? {} : { Authorization: options.token }),
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body };
}

const customers = () => {
  const [first, second] = cloud.users.filter((user) => !user.groups.includes('admin'));
  if (!first || !second) throw new Error('the local cloud seeds fewer than two customers');
  return [first.email, second.email] as const;
};
const admin = () => {
  const found = cloud.users.find((user) => user.groups.includes('admin'));
  if (!found) throw new Error('the local cloud seeds no admin');
  return found.email;
};
const tokenOf = (email: string) => tokens[email] ?? '';
const diagnostics = () => `\n--- sam_local_api.py output ---\n${serverOutput.slice(-6000)}`;

describe("SAM CLI's API Gateway emulation with LocalAuthorizer=true (functions run in Node, not containers)", () => {
  it('serves a public route without a token', async () => {
    const answer = await call('GET', '/products');
    expect(answer.status, diagnostics()).toBe(200);
    expect((answer.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('answers 401 without a token, before any function runs', async () => {
    const answer = await call('GET', '/orders');
    expect(answer.status, diagnostics()).toBe(401);
    expect(answer.body).toEqual({ message: 'Unauthorized' });
  });

  it('answers 401 to a token that is not a valid ID token of the pool: the handler sees no user', async () => {
    const [alice] = customers();
    const good = tokenOf(alice);
    const [header, payload] = good.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    // The same claims, made an admin and signed with a key the pool never published.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['admin'] })).toString('base64url');
    const forged = `${header}.${forgedPayload}.${sign('sha256', Buffer.from(`${header}.${forgedPayload}`), privateKey).toString('base64url')}`;
    const tampered = `${header}.${forgedPayload}.${good.split('.')[2]}`;
    for (const [label, token, routePath] of [
      ['not a JWT', 'not-a-token', '/orders'],
      ['a tampered token', `Bearer ${tampered}`, '/orders'],
      ['a forged admin token', forged, '/admin/orders?status=PENDING'],
    ] as const) {
      const answer = await call('GET', routePath, { token });
      expect(answer.status, `${label}${diagnostics()}`).toBe(401);
      expect(answer.body, label).toMatchObject({ status: 401 });
    }
  });

  it('lets a customer’s ID token through to the handlers, which see that customer (bare or Bearer)', async () => {
    const [alice, bob] = customers();
    const product = cloud.products.find((candidate) => candidate.stock > 0);
    if (!product) throw new Error('the local cloud seeds no product in stock');
    const placed = await call('POST', '/orders', {
      token: tokenOf(alice),
      headers: { 'Idempotency-Key': randomUUID() },
      body: {
        items: [{ productId: product.productId, quantity: 1 }],
        shippingAddress: { name: 'Alice Example', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
      },
    });
    expect(placed.status, `${JSON.stringify(placed.body)}${diagnostics()}`).toBe(201);
    const orderId = (placed.body as { orderId: string }).orderId;
    expect(orderId).toEqual(expect.any(String));

    const mine = await call('GET', '/orders', { token: `Bearer ${tokenOf(alice)}` });
    expect(mine.status, diagnostics()).toBe(200);
    const ids = (answer: Answer) => (answer.body as { items: Array<{ orderId: string }> }).items.map((order) => order.orderId);
    expect(ids(mine)).toContain(orderId);

    const theirs = await call('GET', '/orders', { token: tokenOf(bob) });
    expect(theirs.status, diagnostics()).toBe(200);
    expect(ids(theirs)).not.toContain(orderId);
    expect((await call('GET', `/orders/${orderId}`, { token: tokenOf(bob) })).status).toBe(404);
    expect((await call('GET', `/orders/${orderId}`, { token: tokenOf(alice) })).status).toBe(200);
  });

  it('answers 403 to a customer on an admin route, and lets an admin through', async () => {
    const [alice] = customers();
    const refused = await call('GET', '/admin/orders?status=PENDING', { token: tokenOf(alice) });
    expect(refused.status, diagnostics()).toBe(403);
    expect(refused.body).toMatchObject({ status: 403 });
    const allowed = await call('GET', '/admin/orders?status=PENDING', { token: tokenOf(admin()) });
    expect(allowed.status, diagnostics()).toBe(200);
  });

  it('answers as the local cloud’s own API does, for each case above', async () => {
    const [alice] = customers();
    const good = tokenOf(alice);
    const cases: Array<[string, string, string | undefined]> = [
      ['GET', '/products', undefined],
      ['GET', '/orders', undefined],
      ['GET', '/orders', 'not-a-token'],
      ['GET', '/orders', `${good.slice(0, -8)}AAAAAAAA`],
      ['GET', '/orders', tokenOf(alice)],
      ['GET', '/admin/orders?status=PENDING', tokenOf(alice)],
      ['GET', '/admin/orders?status=PENDING', tokenOf(admin())],
    ];
    for (const [method, routePath, token] of cases) {
      const local = await fetch(`${cloud.apiUrl}${routePath}`, { method, headers: token === undefined ? {} : { Authorization: token } });
      const sam = await call(method, routePath, token === undefined ? {} : { token });
      expect(sam.status, `${method} ${routePath}${diagnostics()}`).toBe(local.status);
    }
  });
});
