import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, loadTemplate, resourcesOfType, run, venvTool, type SamResource } from './support/tools.ts';

// The template's contract with the rest of the project: which function serves which route,
// who may call it, what it may do to the table, and the settings every function shares.
// A change here is a change to the API or to its security: make it on purpose.

const template = loadTemplate();
const resource = (logicalId: string): SamResource => {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`${logicalId} is not in template.yaml`);
  return found;
};

type Target = 'table' | 'GSI1' | 'GSI2';
const ROUTES: Array<{ fn: string; codeUri: string; method: string; path: string; public: boolean; allows: Record<string, Target> }> = [
  { fn: 'ListProductsFunction', codeUri: 'functions/products/list-products', method: 'GET', path: '/products', public: true, allows: { 'dynamodb:Query': 'GSI1' } },
  { fn: 'GetProductFunction', codeUri: 'functions/products/get-product', method: 'GET', path: '/products/{productId}', public: true, allows: { 'dynamodb:GetItem': 'table' } },
  { fn: 'CreateProductFunction', codeUri: 'functions/products/create-product', method: 'POST', path: '/products', public: false, allows: { 'dynamodb:PutItem': 'table' } },
  {
    fn: 'UpdateProductFunction',
    codeUri: 'functions/products/update-product',
    method: 'PUT',
    path: '/products/{productId}',
    public: false,
    allows: { 'dynamodb:GetItem': 'table', 'dynamodb:UpdateItem': 'table' },
  },
  { fn: 'SetProductStockFunction', codeUri: 'functions/products/set-stock', method: 'PUT', path: '/products/{productId}/stock', public: false, allows: { 'dynamodb:UpdateItem': 'table' } },
  {
    fn: 'PlaceOrderFunction',
    codeUri: 'functions/orders/place-order',
    method: 'POST',
    path: '/orders',
    public: false,
    allows: {
      'dynamodb:BatchGetItem': 'table',
      'dynamodb:GetItem': 'table',
      'dynamodb:PutItem': 'table',
      'dynamodb:UpdateItem': 'table',
      'dynamodb:DeleteItem': 'table',
      'dynamodb:ConditionCheckItem': 'table',
    },
  },
  { fn: 'ListMyOrdersFunction', codeUri: 'functions/orders/list-my-orders', method: 'GET', path: '/orders', public: false, allows: { 'dynamodb:Query': 'GSI1' } },
  { fn: 'GetOrderFunction', codeUri: 'functions/orders/get-order', method: 'GET', path: '/orders/{orderId}', public: false, allows: { 'dynamodb:Query': 'table' } },
  {
    fn: 'CancelOrderFunction',
    codeUri: 'functions/orders/cancel-order',
    method: 'POST',
    path: '/orders/{orderId}/cancel',
    public: false,
    allows: { 'dynamodb:Query': 'table', 'dynamodb:UpdateItem': 'table' },
  },
  { fn: 'ListOrdersByStatusFunction', codeUri: 'functions/admin/list-orders-by-status', method: 'GET', path: '/admin/orders', public: false, allows: { 'dynamodb:Query': 'GSI2' } },
];

const TARGET_ARNS: Record<Target, unknown> = {
  table: { 'Fn::GetAtt': ['OrdersTable', 'Arn'] },
  GSI1: { 'Fn::Sub': '${OrdersTable.Arn}/index/GSI1' },
  GSI2: { 'Fn::Sub': '${OrdersTable.Arn}/index/GSI2' },
};

const ESBUILD_PROPERTIES = {
  Format: 'esm',
  Minify: true,
  Sourcemap: true,
  Target: 'node24',
  OutExtension: ['.js=.mjs'],
  Banner: ["js=import { createRequire } from 'module'; const require = createRequire(import.meta.url);"],
  External: ['@aws-sdk/*', '@orders/shared'],
  EntryPoints: ['index.ts'],
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

describe('functions', () => {
  it('are exactly the ten API handlers', () => {
    expect(resourcesOfType(template, 'AWS::Serverless::Function').map(([id]) => id).sort()).toEqual(ROUTES.map((route) => route.fn).sort());
  });

  it.each(ROUTES)('$fn serves $method $path', (route) => {
    const fn = resource(route.fn);
    expect(fn.Properties?.CodeUri).toBe(route.codeUri);
    expect(existsSync(path.join(ROOT, route.codeUri, 'index.ts')), `${route.codeUri}/index.ts`).toBe(true);
    const events = Object.values((fn.Properties?.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, unknown> }>);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.Type).toBe('Api');
    expect(event?.Properties).toMatchObject({ RestApiId: { Ref: 'OrdersApi' }, Path: route.path, Method: route.method });
    // Public routes opt out explicitly; every other route gets the API's Cognito authorizer.
    expect(event?.Properties.Auth).toEqual(route.public ? { Authorizer: 'NONE' } : undefined);
  });

  it.each(ROUTES)('$fn may do only what it needs to the table', (route) => {
    const policies = resource(route.fn).Properties?.Policies as Array<{ Statement: Statement[] }>;
    const granted: Record<string, unknown> = {};
    for (const statement of policies.flatMap((policy) => policy.Statement)) {
      expect(statement.Effect).toBe('Allow');
      for (const action of [statement.Action].flat()) granted[action] = statement.Resource;
    }
    const expected = Object.fromEntries(Object.entries(route.allows).map(([action, target]) => [action, TARGET_ARNS[target]]));
    expect(granted).toEqual(expected);
  });

  it.each(ROUTES)('$fn is built by esbuild like every other function, and logs to its own group', (route) => {
    const fn = resource(route.fn);
    expect(fn.Metadata).toEqual({ BuildMethod: 'esbuild', BuildProperties: ESBUILD_PROPERTIES });
    const logGroup = (fn.Properties?.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup?.Ref;
    expect(logGroup).toBe(route.fn.replace(/Function$/, 'LogGroup'));
    expect(resource(String(logGroup)).Type).toBe('AWS::Logs::LogGroup');
  });

  it('share runtime, architecture, tracing, the layer and the environment through Globals', () => {
    const globals = template.Globals?.Function;
    expect(globals).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Tracing: 'Active',
      Layers: [{ Ref: 'SharedLayer' }],
      LoggingConfig: { LogFormat: 'JSON' },
    });
    expect((globals?.Environment as { Variables: Record<string, unknown> }).Variables).toEqual({
      TABLE_NAME: { Ref: 'OrdersTable' },
      POWERTOOLS_SERVICE_NAME: 'orders',
      POWERTOOLS_METRICS_NAMESPACE: 'ServerlessOrders',
      POWERTOOLS_LOG_LEVEL: { Ref: 'LogLevel' },
      CORS_ALLOW_ORIGIN: { Ref: 'CorsAllowOrigin' },
      NODE_OPTIONS: '--enable-source-maps',
      STAGE: { Ref: 'Stage' },
    });
    for (const route of ROUTES) {
      const own = Object.keys(resource(route.fn).Properties ?? {});
      expect(own.filter((key) => ['Runtime', 'Architectures', 'Handler', 'Layers', 'Environment', 'FunctionName'].includes(key)), route.fn).toEqual([]);
    }
  });
});

describe('shared resources', () => {
  it('the table: single-table keys, two GSIs, stream, TTL, PITR, KMS, retained, named by CloudFormation', () => {
    const table = resource('OrdersTable');
    expect(table).toMatchObject({ Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table.Properties).not.toHaveProperty('TableName');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    const indexes = table.Properties?.GlobalSecondaryIndexes as Array<Record<string, unknown>>;
    expect(indexes.map((index) => [index.IndexName, index.KeySchema, index.Projection])).toEqual(
      ['GSI1', 'GSI2'].map((name) => [
        name,
        [
          { AttributeName: `${name}PK`, KeyType: 'HASH' },
          { AttributeName: `${name}SK`, KeyType: 'RANGE' },
        ],
        { ProjectionType: 'ALL' },
      ]),
    );
  });

  it('the API: Cognito by default (not on CORS preflight), access logs, tracing, throttling', () => {
    expect(resource('OrdersApi').Properties).toMatchObject({
      StageName: { Ref: 'Stage' },
      TracingEnabled: true,
      Auth: {
        DefaultAuthorizer: 'CognitoAuthorizer',
        AddDefaultAuthorizerToCorsPreflight: false,
        Authorizers: { CognitoAuthorizer: { UserPoolArn: { 'Fn::GetAtt': ['UserPool', 'Arn'] } } },
      },
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': ['ApiAccessLogGroup', 'Arn'] } },
      MethodSettings: [
        {
          ResourcePath: '/*',
          HttpMethod: '*',
          MetricsEnabled: true,
          ThrottlingBurstLimit: { Ref: 'ApiThrottlingBurstLimit' },
          ThrottlingRateLimit: { Ref: 'ApiThrottlingRateLimit' },
        },
      ],
    });
    const format = (resource('OrdersApi').Properties?.AccessLogSetting as { Format: string }).Format;
    expect(() => JSON.parse(format.replaceAll(/\$context\.[\w.]+/g, 'x'))).not.toThrow();
  });

  it('the API has exactly one stage: the one named after the Stage parameter', () => {
    const transformed = loadTemplate('transform');
    expect(resourcesOfType(transformed, 'AWS::ApiGateway::Stage').map(([, stage]) => stage.Properties?.StageName)).toEqual([{ Ref: 'Stage' }]);
    for (const [id, deployment] of resourcesOfType(transformed, 'AWS::ApiGateway::Deployment')) {
      expect(deployment.Properties, `${id} would create an extra stage`).not.toHaveProperty('StageName');
    }
  });

  it('the user pool: email sign-in, strong passwords, a public client, the admin group', () => {
    expect(resource('UserPool').Properties).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
    });
    expect(resource('UserPoolClient').Properties).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(resource('AdminGroup').Properties).toMatchObject({ GroupName: 'admin', UserPoolId: { Ref: 'UserPool' } });
  });

  it('the layer: built by make for nodejs24.x on arm64', () => {
    expect(resource('SharedLayer')).toMatchObject({
      Type: 'AWS::Serverless::LayerVersion',
      Metadata: { BuildMethod: 'makefile' },
      Properties: { ContentUri: 'layers/shared', CompatibleRuntimes: ['nodejs24.x'], CompatibleArchitectures: ['arm64'] },
    });
  });

  it('outputs what clients and the local cloud need', () => {
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual(['ApiUrl', 'SharedLayerArn', 'TableName', 'UserPoolClientId', 'UserPoolId']);
  });
});

describe('samconfig.toml', () => {
  // Read by SAM CLI's own config loader and parameter parser, as `sam --config-env <env>` does.
  const SAMCONFIG = `
import json
from samcli.cli.types import CfnParameterOverridesType
from samcli.lib.config.samconfig import SamConfig
config = SamConfig(".")
out = {}
for env in ("default", "dev", "prod"):
    section = lambda command: config.get_all([command], "parameters", env)
    deploy = section("deploy")
    deploy["parameter_overrides"] = CfnParameterOverridesType().convert((deploy.get("parameter_overrides", ""),), None, None)
    out[env] = {"build": section("build"), "validate": section("validate"), "deploy": deploy}
print(json.dumps(out))
`;
  type Env = { build: Record<string, unknown>; validate: Record<string, unknown>; deploy: Record<string, unknown> & { parameter_overrides: Record<string, string> } };
  const result = run(venvTool('python'), ['-c', SAMCONFIG]);
  if (result.status !== 0) throw new Error(`Could not read samconfig.toml:\n${result.output}`);
  const environments = JSON.parse(result.stdout) as Record<'default' | 'dev' | 'prod', Env>;
  const parameters = template.Parameters as Record<string, { AllowedValues?: string[]; AllowedPattern?: string }>;

  it.each(['default', 'dev', 'prod'] as const)('%s: lints on validate, builds cached and in parallel, deploys with IAM capability via a managed bucket', (name) => {
    const env = environments[name];
    expect(env.validate).toMatchObject({ lint: true });
    expect(env.build).toMatchObject({ cached: true, parallel: true });
    expect(env.deploy).toMatchObject({ capabilities: 'CAPABILITY_IAM', resolve_s3: true, confirm_changeset: name === 'prod' });
    expect(env.deploy.stack_name).toBe(name === 'prod' ? 'serverless-orders-prod' : 'serverless-orders-dev');
    expect(env.deploy.parameter_overrides.Stage).toBe(name === 'prod' ? 'prod' : 'dev');
    for (const [key, value] of Object.entries(env.deploy.parameter_overrides)) {
      const parameter = parameters[key];
      expect(parameter, `${name}: ${key} is not a template parameter`).toBeDefined();
      if (parameter?.AllowedValues) expect(parameter.AllowedValues, `${name}: ${key}`).toContain(value);
      if (parameter?.AllowedPattern) expect(value, `${name}: ${key}`).toMatch(new RegExp(parameter.AllowedPattern));
    }
  });
});
