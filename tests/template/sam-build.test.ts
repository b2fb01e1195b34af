import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, loadTemplate, node24, resourcesOfType, run, userShellEnv, venvTool } from './support/tools.ts';

// `sam build` into a scratch directory (samconfig.toml's build settings apply), as a user types
// it after `npm ci`: in a shell whose PATH has no node_modules/.bin. Then checks on the artifacts: what each bundle contains, and whether each function really runs on Lambda's
// file layout: its code in /var/task, the layer in /opt, the AWS SDK from the runtime, bare ES
// module imports resolved through NODE_PATH (tests/template/support/lambda-node-path-hook.mjs).

const SUPPORT = path.join(ROOT, 'tests/template/support');
const HOOK = path.join(SUPPORT, 'lambda-node-path-hook.mjs');
const INVOKE = path.join(SUPPORT, 'invoke-handler.mjs');
const LAYER_PACKAGE = 'nodejs/node_modules/@orders/shared';
/**
 * Dependencies a function may bundle, by logical id. Only the sam local authorizer has one: no
 * deployed function needs aws-jwt-verify, so it stays out of the layer (docs/decisions.md D24).
 */
const BUNDLED_DEPENDENCIES: Record<string, string[]> = {
  LocalAuthorizerFunction: ['node_modules/aws-jwt-verify/'],
  // The release hook sends the sample GET /products; it uses no shared code (a broken layer must not break it).
  PreTrafficSmokeTestFunction: ['events/list-products.json'],
};
/** What functions may import from the layer: its package.json `exports`. */
const LAYER_ENTRY_POINTS = ['@orders/shared', '@orders/shared/events', '@orders/shared/fulfilment'];

interface FunctionUnderTest {
  logicalId: string;
  codeUri: string;
  /**
   * How it is invoked: by API Gateway (a proxy result back), by an event source mapping (a batch),
   * by the fulfilment state machine (a saga step: no event source, the step's payload), or, for
   * the one function that exists only under `sam local` (a Condition), as the API's authorizer, or
   * by CodeDeploy during a release (a hook: its name starts with CodeDeployHook_).
   */
  trigger: 'api' | 'batch' | 'task' | 'authorizer' | 'hook';
  /** Its own environment variables in template.yaml (beyond Globals). */
  environment: Record<string, unknown>;
}

const template = loadTemplate();
const functions: FunctionUnderTest[] = resourcesOfType(template, 'AWS::Serverless::Function').map(([logicalId, resource]) => {
  const events = Object.values((resource.Properties?.Events ?? {}) as Record<string, { Type: string }>);
  return {
    logicalId,
    codeUri: String(resource.Properties?.CodeUri),
    trigger:
      resource.Condition === 'UseLocalAuthorizer'
        ? 'authorizer'
        : String((resource.Properties?.FunctionName as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'] ?? '').startsWith('CodeDeployHook_')
          ? 'hook'
          : events.length === 0
          ? 'task'
          : events.every((event) => event.Type === 'Api')
            ? 'api'
            : 'batch',
    environment: (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
  };
});

let scratch: string;
let buildDir: string;

const shell = userShellEnv();

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'orders-sam-build-'));
  buildDir = path.join(scratch, 'build');
  const result = run(venvTool('sam'), ['build', '--build-dir', buildDir, '--cache-dir', path.join(scratch, 'cache')], { env: shell });
  if (result.status !== 0) throw new Error(`sam build failed:\n${result.output}`);
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Every import a built file leaves to the runtime (bare packages and node builtins). */
async function externalImports(file: string): Promise<string[]> {
  const { metafile } = await esbuild({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const imports = Object.values(metafile.inputs).flatMap((input) => input.imports);
  return [...new Set(imports.filter((entry) => entry.external).map((entry) => entry.path))].sort();
}

const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

/** The files a bundle was built from, from its source map, relative to the repository root. */
function bundledSources(mapFile: string): string[] {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; sourceRoot?: string };
  return map.sources.map((source) => path.relative(ROOT, path.resolve(path.dirname(mapFile), map.sourceRoot ?? '', source)));
}

describe('sam build', () => {
  it('works after npm ci in a shell whose PATH has no node_modules/.bin, in every environment', () => {
    // The build above ran on that PATH; make sure it really holds no esbuild.
    const esbuildOnPath = (shell.PATH ?? '').split(path.delimiter).filter((dir) => existsSync(path.join(dir, 'esbuild')));
    expect(esbuildOnPath).toEqual([]);
    // `sam build --config-env prod` reads only [prod]'s settings. One function (and the layer it
    // needs) is enough to show SAM finds esbuild there too, in a fraction of a full build.
    const prod = path.join(scratch, 'prod');
    const result = run(venvTool('sam'), ['build', 'GetProductFunction', '--config-env', 'prod', '--build-dir', prod, '--cache-dir', path.join(prod, 'cache')], {
      env: shell,
    });
    expect(result.status, result.output).toBe(0);
    expect(existsSync(path.join(prod, 'GetProductFunction', 'index.mjs'))).toBe(true);
  });

  it('builds every function and the shared layer', () => {
    // 21 deployed functions (the release hook among them), and LocalAuthorizerFunction (sam local only: built all the same).
    expect(functions).toHaveLength(22);
    for (const { logicalId } of functions) {
      expect(existsSync(path.join(buildDir, logicalId, 'index.mjs')), `${logicalId}/index.mjs`).toBe(true);
      expect(existsSync(path.join(buildDir, logicalId, 'index.mjs.map')), `${logicalId}/index.mjs.map`).toBe(true);
    }
    const layer = path.join(buildDir, 'SharedLayer', LAYER_PACKAGE);
    expect(readdirSync(layer).sort()).toEqual(['chunks', 'events', 'fulfilment', 'index.mjs', 'index.mjs.map', 'package.json']);
    expect(existsSync(path.join(layer, 'events', 'index.mjs'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(layer, 'package.json'), 'utf8'))).toMatchObject({
      name: '@orders/shared',
      type: 'module',
      exports: { '.': './index.mjs', './events': './events/index.mjs', './fulfilment': './fulfilment/index.mjs' },
    });
  });

  it('bundles only each function’s own code: shared code comes from the layer, the SDK from the runtime', async () => {
    for (const { logicalId, codeUri } of functions) {
      const built = path.join(buildDir, logicalId, 'index.mjs');
      const allowed = [`${codeUri}/`, ...(BUNDLED_DEPENDENCIES[logicalId] ?? [])];
      const foreign = bundledSources(`${built}.map`).filter((source) => !allowed.some((prefix) => source.startsWith(prefix)));
      expect(foreign, `${logicalId} bundles code from outside ${codeUri} (import it from @orders/shared instead)`).toEqual([]);
      const imports = (await externalImports(built)).filter((specifier) => !isBuiltin(specifier));
      const fromLayer = (specifier: string) => LAYER_ENTRY_POINTS.includes(specifier);
      const unexpected = imports.filter((specifier) => !fromLayer(specifier) && !specifier.startsWith('@aws-sdk/'));
      expect(unexpected, `${logicalId} imports packages that exist neither in the layer nor in the runtime`).toEqual([]);
      if (BUNDLED_DEPENDENCIES[logicalId] === undefined) expect(imports.some(fromLayer), `${logicalId} should import @orders/shared`).toBe(true);
    }
  });

  it('leaves only the AWS SDK and node builtins outside the layer bundle', async () => {
    for (const entry of ['index.mjs', 'events/index.mjs', 'fulfilment/index.mjs']) {
      const imports = await externalImports(path.join(buildDir, 'SharedLayer', LAYER_PACKAGE, entry));
      const outside = imports.filter((specifier) => !isBuiltin(specifier) && !specifier.startsWith('@aws-sdk/'));
      // The entry points import their shared chunks by relative path; nothing else may be outside.
      expect(outside.filter((specifier) => !specifier.startsWith('./') && !specifier.startsWith('../')), entry).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Lambda's file layout
// ---------------------------------------------------------------------------------------------

interface InvokeError {
  name?: string;
  code?: string;
  message: string;
  /** A failed batch's per-record errors. */
  errors?: InvokeError[];
}

interface InvokeOutcome {
  phase: 'import' | 'invoke' | 'done';
  error?: InvokeError;
  result?: { statusCode?: unknown; body?: unknown; headers?: Record<string, unknown>; batchItemFailures?: unknown };
  /** Everything the process wrote: the function's logs. */
  logs: string;
}

const CORS_ORIGIN = 'https://app.example.com';

/**
 * A Lambda-like root: `var/task` (the function), `opt` (the layer, if any) and
 * `var/runtime/node_modules` holding the AWS SDK as the nodejs24.x runtime does (links to the
 * repository's @aws-sdk packages, so only @aws-sdk is reachable there, as on Lambda).
 */
function lambdaRoot(logicalId: string, options: { withLayer: boolean }): string {
  const root = mkdtempSync(path.join(scratch, `${logicalId}-`));
  cpSync(path.join(buildDir, logicalId), path.join(root, 'var/task'), { recursive: true });
  if (options.withLayer) cpSync(path.join(buildDir, 'SharedLayer'), path.join(root, 'opt'), { recursive: true });
  const sdk = path.join(root, 'var/runtime/node_modules/@aws-sdk');
  mkdirSync(sdk, { recursive: true });
  for (const name of readdirSync(path.join(ROOT, 'node_modules/@aws-sdk'))) {
    symlinkSync(path.join(ROOT, 'node_modules/@aws-sdk', name), path.join(sdk, name), 'dir');
  }
  return root;
}

/** Lambda's NODE_PATH, rooted at `root` instead of `/`. */
const lambdaNodePath = (root: string) =>
  ['opt/nodejs/node24/node_modules', 'opt/nodejs/node_modules', 'var/runtime/node_modules', 'var/runtime', 'var/task']
    .map((dir) => path.join(root, dir))
    .join(path.delimiter);

/** A TCP port nothing listens on: AWS calls fail fast instead of reaching AWS. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let closedServicePort: number;

/**
 * A function's own environment variables as Lambda would see them: a Ref to a topic or queue in
 * the template becomes a made-up ARN or URL of the right shape. Only what the template declares
 * is set, so a variable the code needs but the template forgets fails the run.
 */
function ownEnvironment(fn: FunctionUnderTest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fn.environment).map(([name, value]) => {
      const ref = (value as { Ref?: string } | null)?.Ref;
      const type = ref === undefined ? undefined : template.Resources[ref]?.Type;
      if (type === 'AWS::SNS::Topic') return [name, `arn:aws:sns:us-east-1:123456789012:layout-test-${ref}`];
      if (type === 'AWS::SQS::Queue') return [name, `https://sqs.us-east-1.amazonaws.com/123456789012/layout-test-${ref}`];
      if (type === 'AWS::Serverless::StateMachine') return [name, `arn:aws:states:us-east-1:123456789012:stateMachine:layout-test-${ref}`];
      // SAM's `!Ref Fn.Version`: the ARN of the version a deployment published.
      if (ref !== undefined && /^\w+\.Version$/.test(ref)) return [name, `arn:aws:lambda:us-east-1:123456789012:function:layout-test-${ref.split('.')[0]}:7`];
      if (typeof value === 'string') return [name, value];
      throw new Error(`${fn.logicalId}: no layout-test value for ${name} = ${JSON.stringify(value)}; add one here`);
    }),
  );
}

function invoke(
  root: string,
  logicalId: string,
  event: unknown,
  options: { hook?: boolean; environment?: Record<string, string> } = {},
): InvokeOutcome {
  const eventFile = path.join(root, 'event.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const args = [...(options.hook === false ? [] : ['--import', HOOK]), INVOKE, path.join(root, 'var/task/index.mjs'), eventFile];
  // A clean environment, close to Lambda's: nothing from the test runner leaks in.
  const result = spawnSync(node24(), args, {
    cwd: path.join(root, 'var/task'),
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: process.env.PATH,
      NODE_PATH: lambdaNodePath(root),
      NODE_OPTIONS: '--enable-source-maps',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_LAMBDA_FUNCTION_NAME: logicalId,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${closedServicePort}`,
      AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${closedServicePort}`,
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${closedServicePort}`,
      AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${closedServicePort}`,
      // Any other service too: nothing a function calls may reach real AWS.
      AWS_ENDPOINT_URL: `http://127.0.0.1:${closedServicePort}`,
      AWS_MAX_ATTEMPTS: '1',
      TABLE_NAME: 'orders-layout-test',
      STAGE: 'dev',
      CORS_ALLOW_ORIGIN: CORS_ORIGIN,
      POWERTOOLS_SERVICE_NAME: 'orders',
      POWERTOOLS_METRICS_NAMESPACE: 'ServerlessOrders',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...options.environment,
    },
  });
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith('@@invoke@@'));
  if (!line) throw new Error(`No outcome from ${logicalId} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return { ...(JSON.parse(line.slice('@@invoke@@'.length)) as Omit<InvokeOutcome, 'logs'>), logs: result.stdout + result.stderr };
}

/** The sample event for a function: events/<code dir>.json (template.test.ts requires one for every function). */
function sampleEvent(codeUri: string): Record<string, unknown> {
  const file = path.join(ROOT, 'events', `${path.basename(codeUri)}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Every sample for a function: events/<code dir>.json and events/<code dir>-<variant>.json. */
function sampleEventFiles(codeUri: string): string[] {
  const base = path.basename(codeUri);
  return readdirSync(path.join(ROOT, 'events'))
    .filter((name) => name === `${base}.json` || (name.startsWith(`${base}-`) && name.endsWith('.json')))
    .sort();
}

function expectProxyResult(outcome: InvokeOutcome, label: string) {
  expect(outcome.phase, `${label}: ${JSON.stringify(outcome.error)}`).toBe('done');
  const { statusCode, body, headers } = outcome.result ?? {};
  expect(Number.isInteger(statusCode) && (statusCode as number) >= 200 && (statusCode as number) <= 599, `${label} statusCode ${String(statusCode)}`).toBe(true);
  expect(typeof body, `${label} body`).toBe('string');
  expect(headers?.['content-type'], `${label} content-type`).toMatch(/json/);
}

describe('on Lambda’s file layout (function in /var/task, layer in /opt, NODE_PATH)', () => {
  beforeAll(async () => {
    closedServicePort = await closedPort();
  });

  it('runs GetProduct from the layer: a bad product id is a 400 problem, with the CORS origin', () => {
    const get = functions.find((fn) => fn.logicalId === 'GetProductFunction');
    if (!get) throw new Error('GetProductFunction is not in template.yaml');
    const event = sampleEvent(get.codeUri);
    const outcome = invoke(lambdaRoot(get.logicalId, { withLayer: true }), get.logicalId, {
      ...event,
      path: '/products/not-a-uuid',
      pathParameters: { productId: 'not-a-uuid' },
    });
    expectProxyResult(outcome, get.logicalId);
    expect(outcome.result?.statusCode).toBe(400);
    expect(outcome.result?.headers?.['content-type']).toBe('application/problem+json');
    expect(outcome.result?.headers?.['access-control-allow-origin']).toBe(CORS_ORIGIN);
    expect(JSON.parse(String(outcome.result?.body))).toMatchObject({ status: 400 });
  });

  it('imports every API function with the layer and answers its sample event with a proxy result', () => {
    // DynamoDB is unreachable, so data-dependent answers are 5xx problems; what matters here is
    // that the module graph loads on Lambda's layout and the handler returns a proper result.
    for (const fn of functions.filter((candidate) => candidate.trigger === 'api')) {
      const { logicalId, codeUri } = fn;
      const outcome = invoke(lambdaRoot(logicalId, { withLayer: true }), logicalId, sampleEvent(codeUri), { environment: ownEnvironment(fn) });
      expectProxyResult(outcome, logicalId);
      if ((outcome.result?.statusCode as number) >= 500) {
        // The only acceptable failure: the DynamoDB call itself (nothing listens on the port).
        expect(outcome.logs, `${logicalId} failed before reaching DynamoDB`).toContain('ECONNREFUSED');
      }
    }
  });

  it('imports every queue and stream function with the layer and takes each of its samples as far as AWS', () => {
    // Every record of a sample is parsed, validated and mapped, then its DynamoDB or SNS call is
    // refused (nothing listens on the port): the batch fails as a whole, and each record's error
    // must be that refusal, not a validation or configuration error on the way there.
    const batchFunctions = functions.filter((candidate) => candidate.trigger === 'batch');
    expect(batchFunctions.map((fn) => fn.logicalId).sort()).toEqual(['NotifyCustomerFunction', 'PublishOrderEventsFunction', 'StartFulfilmentFunction']);
    for (const fn of batchFunctions) {
      const files = sampleEventFiles(fn.codeUri);
      expect(files, `${fn.logicalId} has no sample in events/`).not.toEqual([]);
      for (const file of files) {
        const event = JSON.parse(readFileSync(path.join(ROOT, 'events', file), 'utf8')) as { Records: unknown[] };
        const label = `${fn.logicalId} with events/${file}`;
        const outcome = invoke(lambdaRoot(fn.logicalId, { withLayer: true }), fn.logicalId, event, { environment: ownEnvironment(fn) });
        expect(outcome.phase, `${label}: ${JSON.stringify(outcome.error)}\n${outcome.logs}`).toBe('invoke');
        expect(outcome.error?.name, label).toBe('FullBatchFailureError');
        expect(outcome.error?.errors?.map((error) => error.code), label).toEqual(event.Records.map(() => 'ECONNREFUSED'));
      }
    }
  });

  it('imports every saga step with the layer and takes the payload the state machine sends as far as AWS', () => {
    // events/<code dir>.json is what FulfilmentStateMachine's Parameters build for the step. The
    // step validates it, then its first DynamoDB call is refused: the error Step Functions would
    // see is that refusal (retried or caught by the state machine), not a validation error.
    const steps = functions.filter((candidate) => candidate.trigger === 'task');
    expect(steps.map((fn) => fn.logicalId).sort()).toEqual([
      'AwaitShipmentFunction',
      'RefundPaymentFunction',
      'ReleaseStockFunction',
      'ReserveStockFunction',
      'TakePaymentFunction',
    ]);
    for (const fn of steps) {
      const files = sampleEventFiles(fn.codeUri);
      expect(files, `${fn.logicalId} has no sample in events/`).toEqual([`${path.basename(fn.codeUri)}.json`]);
      const event = JSON.parse(readFileSync(path.join(ROOT, 'events', files[0]!), 'utf8')) as Record<string, unknown>;
      const label = `${fn.logicalId} with events/${files[0]}`;
      const outcome = invoke(lambdaRoot(fn.logicalId, { withLayer: true }), fn.logicalId, event, { environment: ownEnvironment(fn) });
      expect(outcome.phase, `${label}: ${JSON.stringify(outcome.error)}\n${outcome.logs}`).toBe('invoke');
      expect(outcome.error?.code, `${label}: ${JSON.stringify(outcome.error)}`).toBe('ECONNREFUSED');
      // A payload the step does not accept fails before any AWS call.
      const malformed = invoke(lambdaRoot(fn.logicalId, { withLayer: true }), fn.logicalId, { ...event, orderId: 'not-a-uuid' });
      expect(malformed.phase, label).toBe('invoke');
      expect(malformed.error?.message, label).toMatch(/orderId/);
      expect(malformed.logs, label).not.toContain('ECONNREFUSED');
    }
  });

  it('runs the release hook on its own: its smoke test cannot reach the new version, and it reports to CodeDeploy', () => {
    const hooks = functions.filter((fn) => fn.trigger === 'hook');
    expect(hooks.map((fn) => fn.logicalId)).toEqual(['PreTrafficSmokeTestFunction']);
    const hook = hooks[0]!;
    // Lambda and CodeDeploy are unreachable: the smoke test fails, and so does the report
    // (CodeDeploy then times the hook out and rolls back); the code ran that far on Lambda's layout.
    const outcome = invoke(lambdaRoot(hook.logicalId, { withLayer: true }), hook.logicalId, sampleEvent(hook.codeUri), {
      environment: { ...ownEnvironment(hook), AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${closedServicePort}`, AWS_ENDPOINT_URL_CODEDEPLOY: `http://127.0.0.1:${closedServicePort}` },
    });
    expect(outcome.phase, `${JSON.stringify(outcome.error)}\n${outcome.logs}`).toBe('invoke');
    expect(outcome.error?.code, JSON.stringify(outcome.error)).toBe('ECONNREFUSED');
    expect(outcome.logs).toContain('Smoke test Failed');
  });

  it('runs the sam local authorizer on its own: it asks for its settings, then refuses a bad token without a principal', () => {
    const authorizer = functions.find((fn) => fn.trigger === 'authorizer');
    expect(authorizer?.logicalId).toBe('LocalAuthorizerFunction');
    const event = { type: 'TOKEN', authorizationToken: 'not-a-token', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:api/dev/GET/orders' };
    const unconfigured = invoke(lambdaRoot('LocalAuthorizerFunction', { withLayer: true }), 'LocalAuthorizerFunction', event);
    expect(unconfigured.phase, unconfigured.logs).toBe('invoke');
    expect(unconfigured.error?.message).toMatch(/USER_POOL_ISSUER is not set: run `npm run sam-local-env`/);
    const configured = invoke(lambdaRoot('LocalAuthorizerFunction', { withLayer: false }), 'LocalAuthorizerFunction', event, {
      environment: { USER_POOL_ISSUER: `http://127.0.0.1:${closedServicePort}/local_pool`, USER_POOL_CLIENT_ID: 'client', USER_POOL_JWKS_URI: '' },
    });
    expect(configured.phase, configured.logs).toBe('done');
    expect(configured.result).toEqual({
      principalId: 'anonymous',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
    });
  });

  it('cannot import a function without the layer: the shared code is not bundled into it', () => {
    const outcome = invoke(lambdaRoot('GetProductFunction', { withLayer: false }), 'GetProductFunction', {});
    expect(outcome.phase).toBe('import');
    expect(outcome.error?.code).toBe('ERR_MODULE_NOT_FOUND');
    expect(outcome.error?.message).toContain('@orders/shared');
  });

  it('needs the NODE_PATH hook to find the layer, as plain Node ignores NODE_PATH for ES modules', () => {
    const outcome = invoke(lambdaRoot('GetProductFunction', { withLayer: true }), 'GetProductFunction', {}, { hook: false });
    expect(outcome.phase).toBe('import');
    expect(outcome.error?.code).toBe('ERR_MODULE_NOT_FOUND');
  });
});
