import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchesFilterPolicy, parseFilterPolicy } from '#local/core/filter-policy.ts';
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

/**
 * What a grant names. `any` is `*`, only for actions AWS offers no resource-level permission for
 * (cfn-lint E9002 keeps that list; docs/decisions.md, D16).
 */
type Target = 'table' | 'GSI1' | 'GSI2' | 'OrderEventsTopic' | 'FulfilmentStateMachine' | 'any';
/**
 * `partnerPath`: the same function also serves this path, with the same method, to partners: no
 * Cognito, an API key of the usage plan instead (README, "Partner API keys").
 */
const ROUTES: Array<{ fn: string; method: string; path: string; public: boolean; partnerPath?: string; allows: Record<string, Target> }> = [
  { fn: 'ListProductsFunction', method: 'GET', path: '/products', public: true, partnerPath: '/partner/products', allows: { 'dynamodb:Query': 'GSI1', 'dynamodb:BatchGetItem': 'table' } },
  {
    fn: 'GetProductFunction',
    method: 'GET',
    path: '/products/{productId}',
    public: true,
    partnerPath: '/partner/products/{productId}',
    allows: { 'dynamodb:BatchGetItem': 'table' },
  },
  { fn: 'CreateProductFunction', method: 'POST', path: '/products', public: false, allows: { 'dynamodb:PutItem': 'table' } },
  {
    fn: 'UpdateProductFunction',
    method: 'PUT',
    path: '/products/{productId}',
    public: false,
    allows: { 'dynamodb:UpdateItem': 'table', 'dynamodb:BatchGetItem': 'table' },
  },
  { fn: 'SetProductStockFunction', method: 'PUT', path: '/products/{productId}/stock', public: false, allows: { 'dynamodb:UpdateItem': 'table', 'dynamodb:BatchGetItem': 'table' } },
  {
    fn: 'PlaceOrderFunction',
    method: 'POST',
    path: '/orders',
    public: false,
    allows: {
      'dynamodb:BatchGetItem': 'table',
      'dynamodb:PutItem': 'table',
      'dynamodb:Query': 'table',
    },
  },
  { fn: 'ListMyOrdersFunction', method: 'GET', path: '/orders', public: false, allows: { 'dynamodb:Query': 'GSI1' } },
  { fn: 'GetOrderFunction', method: 'GET', path: '/orders/{orderId}', public: false, allows: { 'dynamodb:Query': 'table' } },
  {
    fn: 'CancelOrderFunction',
    method: 'POST',
    path: '/orders/{orderId}/cancel',
    public: false,
    // SendTaskFailure: the saga waiting for shipment compensates (docs/fulfilment.md).
    allows: { 'dynamodb:Query': 'table', 'dynamodb:UpdateItem': 'table', 'states:SendTaskFailure': 'any' },
  },
  {
    fn: 'ListOrderNotificationsFunction',
    method: 'GET',
    path: '/orders/{orderId}/notifications',
    public: false,
    allows: { 'dynamodb:Query': 'table' },
  },
  { fn: 'ListOrdersByStatusFunction', method: 'GET', path: '/admin/orders', public: false, allows: { 'dynamodb:Query': 'GSI2' } },
  {
    fn: 'ShipOrderFunction',
    method: 'POST',
    path: '/admin/orders/{orderId}/ship',
    public: false,
    // One transaction moves the order, its reservation and the products; SendTaskSuccess resumes the saga.
    allows: { 'dynamodb:Query': 'table', 'dynamodb:GetItem': 'table', 'dynamodb:UpdateItem': 'table', 'states:SendTaskSuccess': 'any' },
  },
];

/**
 * The functions fed by the stream and the queues (docs/events.md). SAM attaches an AWS managed
 * policy for each kind of event source that allows its actions on every stream or queue in the
 * account; a Deny statement narrows those actions to the function's own source
 * (docs/decisions.md, D12).
 */
const EVENT_SOURCE_KINDS = {
  DynamoDB: { managedPolicy: 'service-role/AWSLambdaDynamoDBExecutionRole', actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'] },
  SQS: { managedPolicy: 'service-role/AWSLambdaSQSQueueExecutionRole', actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] },
};
const EVENT_HANDLERS: Array<{
  fn: string;
  event: string;
  type: keyof typeof EVENT_SOURCE_KINDS;
  source: unknown;
  allows: Record<string, Target>;
}> = [
  {
    fn: 'PublishOrderEventsFunction',
    event: 'OrderStream',
    type: 'DynamoDB',
    source: { 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] },
    allows: { 'dynamodb:Query': 'table', 'sns:Publish': 'OrderEventsTopic' },
  },
  {
    fn: 'StartFulfilmentFunction',
    event: 'FulfilmentQueue',
    type: 'SQS',
    source: { 'Fn::GetAtt': ['FulfilmentQueue', 'Arn'] },
    allows: { 'states:StartExecution': 'FulfilmentStateMachine' },
  },
  {
    fn: 'NotifyCustomerFunction',
    event: 'CustomerNotificationQueue',
    type: 'SQS',
    source: { 'Fn::GetAtt': ['CustomerNotificationQueue', 'Arn'] },
    allows: { 'dynamodb:PutItem': 'table' },
  },
];

/**
 * The fulfilment saga's Lambda steps (docs/fulfilment.md): no event source, invoked only by
 * FulfilmentStateMachine (tests/template/state-machine.test.ts checks its invoke grant), every
 * transaction authorised per contained action.
 */
const SAGA_STEPS: Array<{ fn: string; allows: Record<string, Target> }> = [
  { fn: 'ReserveStockFunction', allows: { 'dynamodb:UpdateItem': 'table', 'dynamodb:PutItem': 'table', 'dynamodb:BatchGetItem': 'table' } },
  {
    fn: 'TakePaymentFunction',
    allows: { 'dynamodb:Query': 'table', 'dynamodb:GetItem': 'table', 'dynamodb:PutItem': 'table', 'dynamodb:UpdateItem': 'table' },
  },
  {
    fn: 'RefundPaymentFunction',
    allows: { 'dynamodb:GetItem': 'table', 'dynamodb:UpdateItem': 'table', 'dynamodb:PutItem': 'table', 'dynamodb:Query': 'table' },
  },
  { fn: 'ReleaseStockFunction', allows: { 'dynamodb:GetItem': 'table', 'dynamodb:UpdateItem': 'table' } },
  { fn: 'AwaitShipmentFunction', allows: { 'dynamodb:UpdateItem': 'table' } },
];

const ALL_FUNCTIONS = [...ROUTES, ...EVENT_HANDLERS, ...SAGA_STEPS].map(({ fn }) => ({ fn }));

/** CodeDeploy's hooks for releases of the API functions (tests/template/releases.test.ts). */
const RELEASE_HOOKS = ['PreTrafficSmokeTestFunction'];

const TARGET_ARNS: Record<Target, unknown> = {
  table: { 'Fn::GetAtt': ['OrdersTable', 'Arn'] },
  GSI1: { 'Fn::Sub': '${OrdersTable.Arn}/index/GSI1' },
  GSI2: { 'Fn::Sub': '${OrdersTable.Arn}/index/GSI2' },
  OrderEventsTopic: { Ref: 'OrderEventsTopic' },
  FulfilmentStateMachine: { Ref: 'FulfilmentStateMachine' },
  any: '*',
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
  Resource?: unknown;
  NotResource?: unknown;
}

type EventDefinition = { Type: string; Properties: Record<string, unknown> };
const eventsOf = (logicalId: string) => Object.values((resource(logicalId).Properties?.Events ?? {}) as Record<string, EventDefinition>);

/** Action → resource for a function's Allow statements (each action granted once). */
function grantsOf(logicalId: string): Record<string, unknown> {
  const policies = resource(logicalId).Properties?.Policies as Array<{ Statement: Statement[] }>;
  const granted: Record<string, unknown> = {};
  for (const statement of policies.flatMap((policy) => policy.Statement).filter((candidate) => candidate.Effect === 'Allow')) {
    for (const action of [statement.Action].flat()) {
      expect(granted, `${logicalId} grants ${action} twice`).not.toHaveProperty(action);
      granted[action] = statement.Resource;
    }
  }
  return granted;
}

const denialsOf = (logicalId: string): Statement[] =>
  (resource(logicalId).Properties?.Policies as Array<{ Statement: Statement[] }>).flatMap((policy) => policy.Statement).filter((statement) => statement.Effect !== 'Allow');

const expectedGrants = (allows: Record<string, Target>) =>
  Object.fromEntries(Object.entries(allows).map(([action, target]) => [action, TARGET_ARNS[target]]));

describe('functions', () => {
  it('are exactly the API handlers, the event handlers, the saga steps and the release hook (plus, for sam local only, its authorizer)', () => {
    const functions = resourcesOfType(template, 'AWS::Serverless::Function');
    const deployed = functions.filter(([, fn]) => fn.Condition === undefined);
    expect(deployed.map(([id]) => id).sort()).toEqual([...ALL_FUNCTIONS.map(({ fn }) => fn), ...RELEASE_HOOKS].sort());
    // Under `LocalAuthorizer=true` only (never deployed): tests/template/sam-local-api.test.ts.
    expect(functions.filter(([, fn]) => fn.Condition !== undefined).map(([id, fn]) => [id, fn.Condition])).toEqual([
      ['LocalAuthorizerFunction', 'UseLocalAuthorizer'],
    ]);
  });

  it('each have their own handler directory, functions/<area>/<name>/index.ts: events/ and fulfilment/ for the event handlers and saga steps', () => {
    const areas = (fn: string) =>
      EVENT_HANDLERS.some((handler) => handler.fn === fn) ? 'events' : SAGA_STEPS.some((step) => step.fn === fn) ? 'fulfilment' : 'products|orders|admin';
    const codeUris = ALL_FUNCTIONS.map(({ fn }) => {
      const codeUri = String(resource(fn).Properties?.CodeUri);
      expect(codeUri, fn).toMatch(new RegExp(`^functions/(${areas(fn)})/[a-z-]+$`));
      expect(existsSync(path.join(ROOT, codeUri, 'index.ts')), `${codeUri}/index.ts`).toBe(true);
      return codeUri;
    });
    expect(new Set(codeUris).size, 'two functions share a CodeUri').toBe(codeUris.length);
  });

  it('each have a sample event in events/, named after the handler directory (sam local invoke -e, the sam build test)', () => {
    const missing = ALL_FUNCTIONS.map(({ fn }) => `events/${path.basename(String(resource(fn).Properties?.CodeUri))}.json`).filter(
      (file) => !existsSync(path.join(ROOT, file)),
    );
    expect(missing).toEqual([]);
  });

  it('are each in the README\'s API table, which names no other route', () => {
    // The table is where a client learns the API: a route added to the template without a row
    // there is undocumented, and a row without a route is a promise nothing keeps.
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = /^## The API\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    const documented = [...table.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`?\s]*)[^`]*`/g)].map(([, method, route]) => `${method} ${route}`);
    expect(documented.length, 'no routes found under "## The API" in README.md').toBeGreaterThan(0);
    const served = resourcesOfType(template, 'AWS::Serverless::Function')
      .filter(([, fn]) => fn.Condition === undefined)
      .flatMap(([id]) => eventsOf(id))
      .filter((event) => event.Type === 'Api')
      .map((event) => `${String(event.Properties.Method).toUpperCase()} ${String(event.Properties.Path)}`);
    expect([...new Set(documented)].sort()).toEqual([...served].sort());
  });

  it.each(ROUTES)('$fn serves $method $path', (route) => {
    const fn = resource(route.fn);
    const events = Object.values((fn.Properties?.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, unknown> }>);
    expect(events).toHaveLength(route.partnerPath === undefined ? 1 : 2);
    const event = events.find((candidate) => candidate.Properties.Path === route.path);
    expect(event?.Type).toBe('Api');
    expect(event?.Properties).toMatchObject({ RestApiId: { Ref: 'OrdersApi' }, Path: route.path, Method: route.method });
    // Public routes opt out explicitly; every other route gets the API's Cognito authorizer.
    expect(event?.Properties.Auth).toEqual(route.public ? { Authorizer: 'NONE' } : undefined);
    if (route.partnerPath !== undefined) {
      const partner = events.find((candidate) => candidate.Properties.Path === route.partnerPath);
      expect(partner?.Type).toBe('Api');
      expect(partner?.Properties).toMatchObject({ RestApiId: { Ref: 'OrdersApi' }, Path: route.partnerPath, Method: route.method });
      // No user, a key: the usage plan bounds each partner.
      expect(partner?.Properties.Auth).toEqual({ Authorizer: 'NONE', ApiKeyRequired: true });
    }
  });

  it.each(ROUTES)('$fn may do only what it needs to the table', (route) => {
    expect(grantsOf(route.fn)).toEqual(expectedGrants(route.allows));
    expect(denialsOf(route.fn)).toEqual([]);
  });

  it.each(EVENT_HANDLERS)('$fn is fed by its $type event source only', (handler) => {
    const fn = resource(handler.fn);
    expect(Object.keys(fn.Properties?.Events as object)).toEqual([handler.event]);
    const [event] = eventsOf(handler.fn);
    expect(event?.Type).toBe(handler.type);
    expect(event?.Properties[handler.type === 'SQS' ? 'Queue' : 'Stream']).toEqual(handler.source);
    // Partial batch responses: only failed records are retried (cfn-lint E9004 checks it too).
    expect(event?.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it.each(SAGA_STEPS)('$fn is a saga step: no event source, and only what the step needs', (step) => {
    const fn = resource(step.fn);
    expect(fn.Properties?.Events).toBeUndefined();
    expect(grantsOf(step.fn)).toEqual(expectedGrants(step.allows));
    expect(denialsOf(step.fn)).toEqual([]);
  });

  it('StartFulfilmentFunction starts executions of FulfilmentStateMachine, named by its environment', () => {
    expect(resource('StartFulfilmentFunction').Properties?.Environment).toEqual({
      Variables: { FULFILMENT_STATE_MACHINE_ARN: { Ref: 'FulfilmentStateMachine' } },
    });
  });

  it.each(EVENT_HANDLERS)('$fn may do only what it needs, and reads only its own source', (handler) => {
    expect(grantsOf(handler.fn)).toEqual(expectedGrants(handler.allows));
    expect(denialsOf(handler.fn)).toEqual([{ Effect: 'Deny', Action: EVENT_SOURCE_KINDS[handler.type].actions, NotResource: handler.source }]);
  });

  it('the publisher reads the stream from its oldest record, order headers only, with bounded retries and a DLQ', () => {
    const [event] = eventsOf('PublishOrderEventsFunction');
    const { FilterCriteria, ...settings } = event?.Properties ?? {};
    expect(settings).toEqual({
      Stream: { 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 25,
      MaximumBatchingWindowInSeconds: 1,
      MaximumRetryAttempts: 50,
      BisectBatchOnFunctionError: true,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Type: 'SQS', Destination: { 'Fn::GetAtt': ['OrderEventsPublisherDLQ', 'Arn'] } } },
    });
    const filters = (FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters;
    expect(filters.map((filter) => JSON.parse(filter.Pattern) as unknown)).toEqual([
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { type: { S: ['Order'] } } } },
    ]);
    expect(resource('PublishOrderEventsFunction').Properties?.Environment).toEqual({ Variables: { ORDER_EVENTS_TOPIC_ARN: { Ref: 'OrderEventsTopic' } } });
    // Nothing is published before there is someone to deliver it to.
    expect((resource('PublishOrderEventsFunction') as SamResource & { DependsOn?: string[] }).DependsOn).toEqual([
      'FulfilmentSubscription',
      'CustomerNotificationSubscription',
    ]);
  });

  it.each(EVENT_HANDLERS.filter((handler) => handler.type === 'SQS'))('$fn takes batches of 10 from its queue, at most 5 at a time', (handler) => {
    const [event] = eventsOf(handler.fn);
    expect(event?.Properties).toEqual({
      Queue: handler.source,
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('SAM adds the event sources\' managed policies and the on-failure send, and nothing else', () => {
    // What the deployed roles hold, from the real SAM transform (docs/decisions.md, D12).
    const transformed = loadTemplate('transform');
    for (const { fn } of ALL_FUNCTIONS) {
      const role = transformed.Resources[`${fn}Role`];
      const handler = EVENT_HANDLERS.find((candidate) => candidate.fn === fn);
      const managed = ['service-role/AWSLambdaBasicExecutionRole', 'AWSXrayWriteOnlyAccess', ...(handler ? [EVENT_SOURCE_KINDS[handler.type].managedPolicy] : [])];
      expect(role?.Properties?.ManagedPolicyArns, fn).toEqual(managed.map((name) => `arn:aws:iam::aws:policy/${name}`));
      const inline = role?.Properties?.Policies as Array<{ PolicyName: string; PolicyDocument: { Statement: Statement[] } }>;
      const extra = inline.filter((policy) => policy.PolicyName !== `${fn}RolePolicy0`);
      if (fn === 'PublishOrderEventsFunction') {
        expect(extra.map((policy) => policy.PolicyDocument.Statement), fn).toEqual([
          [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['OrderEventsPublisherDLQ', 'Arn'] } }],
        ]);
      } else {
        expect(extra, fn).toEqual([]);
      }
    }
  });

  it.each(ALL_FUNCTIONS)('$fn is built by esbuild like every other function, and logs to its own group', (route) => {
    const fn = resource(route.fn);
    // Besides the build, Metadata may only hold the reasons for unused grants (local/README.md, IAM).
    const { UnusedGrants: _unusedGrantReasons, ...build } = fn.Metadata ?? {};
    expect(build).toEqual({ BuildMethod: 'esbuild', BuildProperties: ESBUILD_PROPERTIES });
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
      // The API's CORS origin (tests/template/web-hosting.test.ts).
      CORS_ALLOW_ORIGIN: { 'Fn::If': ['CorsOriginIsWebApp', { 'Fn::Sub': 'https://${WebDistribution.DomainName}' }, { Ref: 'CorsAllowOrigin' }] },
      NODE_OPTIONS: '--enable-source-maps',
      STAGE: { Ref: 'Stage' },
      AWS_ENDPOINT_URL_DYNAMODB: '',
      AWS_ENDPOINT_URL_SNS: '',
      AWS_ENDPOINT_URL_SQS: '',
      AWS_ENDPOINT_URL_SFN: '',
    });
    const shared = Object.keys((globals?.Environment as { Variables: Record<string, unknown> }).Variables);
    for (const { fn } of ALL_FUNCTIONS) {
      const own = Object.keys(resource(fn).Properties ?? {});
      expect(own.filter((key) => ['Runtime', 'Architectures', 'Handler', 'Layers', 'FunctionName', 'Timeout', 'MemorySize'].includes(key)), fn).toEqual([]);
      // A function may add variables of its own (the publisher's topic), never redefine shared ones.
      const ownVariables = Object.keys((resource(fn).Properties?.Environment as { Variables?: object } | undefined)?.Variables ?? {});
      expect(ownVariables.filter((name) => shared.includes(name)), fn).toEqual([]);
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

  it('API Gateway’s own responses echo the client’s x-correlation-id and carry the request id in their body (README, "Errors")', () => {
    const transformed = loadTemplate('transform');
    // SAM writes them into the API's OpenAPI body, as API Gateway's gateway-responses extension.
    const body = transformed.Resources.OrdersApi?.Properties?.Body as Record<string, unknown>;
    const responses = body['x-amazon-apigateway-gateway-responses'] as Record<
      string,
      { responseParameters?: Record<string, string>; responseTemplates?: Record<string, string> }
    >;
    // Every specific type (UNAUTHORIZED, ACCESS_DENIED, THROTTLED, …) falls back to these two.
    expect(Object.keys(responses).sort()).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
    for (const response of Object.values(responses)) {
      // A header mapping can read the request, never $context: the request id goes in the body.
      expect(response.responseParameters).toMatchObject({ 'gatewayresponse.header.x-correlation-id': 'method.request.header.x-correlation-id' });
      const template = response.responseTemplates?.['application/json'] ?? '';
      expect(JSON.parse(template.replaceAll('$context.error.messageString', '"Unauthorized"').replaceAll('$context.requestId', 'req-1'))).toEqual({
        message: 'Unauthorized',
        requestId: 'req-1',
      });
    }
  });

  it('the partners’ usage plan: rate, burst and daily quota from parameters, one key, keys only on the /partner routes', () => {
    expect(resourcesOfType(template, 'AWS::ApiGateway::UsagePlan').map(([id]) => id)).toEqual(['PartnerUsagePlan']);
    expect(resource('PartnerUsagePlan').Properties).toEqual({
      UsagePlanName: { 'Fn::Sub': '${AWS::StackName}-partners' },
      Description: expect.any(String),
      ApiStages: [{ ApiId: { Ref: 'OrdersApi' }, Stage: { Ref: 'OrdersApi.Stage' } }],
      Throttle: { RateLimit: { Ref: 'PartnerApiRateLimit' }, BurstLimit: { Ref: 'PartnerApiBurstLimit' } },
      Quota: { Limit: { Ref: 'PartnerApiDailyQuota' }, Period: 'DAY' },
    });
    for (const name of ['PartnerApiRateLimit', 'PartnerApiBurstLimit', 'PartnerApiDailyQuota']) {
      expect(template.Parameters?.[name], name).toMatchObject({ Type: 'Number', MinValue: 1 });
    }
    expect(resourcesOfType(template, 'AWS::ApiGateway::ApiKey').map(([id, key]) => [id, key.Properties?.Enabled])).toEqual([['PartnerApiKey', true]]);
    expect(resource('PartnerUsagePlanKey').Properties).toEqual({
      KeyId: { Ref: 'PartnerApiKey' },
      KeyType: 'API_KEY',
      UsagePlanId: { Ref: 'PartnerUsagePlan' },
    });
    expect(template.Outputs?.PartnerApiKeyId).toMatchObject({ Value: { Ref: 'PartnerApiKey' } });
    // Not SAM's Auth.UsagePlan as well: one plan, one key.
    expect((resource('OrdersApi').Properties?.Auth as Record<string, unknown>).UsagePlan).toBeUndefined();

    // What SAM makes of it: the plan on the API's one stage, and only the /partner methods take a key.
    const transformed = loadTemplate('transform');
    expect(transformed.Resources.PartnerUsagePlan?.Properties?.ApiStages).toEqual([{ ApiId: { Ref: 'OrdersApi' }, Stage: { Ref: 'OrdersApiStage' } }]);
    const paths = (transformed.Resources.OrdersApi?.Properties?.Body as { paths: Record<string, Record<string, { security?: unknown[] }>> }).paths;
    const keyed = Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => JSON.stringify(operation.security ?? []).includes('"api_key"'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(keyed.sort()).toEqual(['GET /partner/products', 'GET /partner/products/{productId}']);
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

  it('outputs what clients, operators and the local cloud need', () => {
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual([
      'AlarmTopicArn',
      'ApiUrl',
      'CustomerNotificationDLQUrl',
      'CustomerNotificationQueueUrl',
      'DeploymentType',
      'FulfilmentDLQUrl',
      'FulfilmentQueueUrl',
      'FulfilmentStateMachineArn',
      'OperationsDashboardUrl',
      'OrderEventsDeliveryDLQUrl',
      'OrderEventsPublisherDLQUrl',
      'OrderEventsTopicArn',
      'PartnerApiKeyId',
      'SharedLayerArn',
      'TableName',
      'UserPoolClientId',
      'UserPoolId',
      'WebBucketName',
      'WebDistributionId',
      'WebUrl',
    ]);
  });
});

describe('order events (docs/events.md)', () => {
  const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
  const QUEUES = {
    FulfilmentQueue: { dlq: 'FulfilmentDLQ', subscription: 'FulfilmentSubscription' },
    CustomerNotificationQueue: { dlq: 'CustomerNotificationDLQ', subscription: 'CustomerNotificationSubscription' },
  } as const;
  const DLQS = ['FulfilmentDLQ', 'CustomerNotificationDLQ', 'OrderEventsPublisherDLQ', 'OrderEventsDeliveryDLQ'];
  const FOURTEEN_DAYS = 14 * 24 * 3600;

  it('one topic, encrypted with the AWS managed SNS key', () => {
    expect(resourcesOfType(template, 'AWS::SNS::Topic').map(([id]) => id).sort()).toEqual(['AlarmTopic', 'OrderEventsTopic']);
    expect(resource('OrderEventsTopic').Properties).toMatchObject({ KmsMasterKeyId: 'alias/aws/sns' });
  });

  it('the queues: each subscribed queue and its DLQ, the publisher\'s DLQ and the delivery DLQ, all encrypted', () => {
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');
    expect(queues.map(([id]) => id).sort()).toEqual([...Object.keys(QUEUES), ...DLQS].sort());
    for (const [id, queue] of queues) expect(queue.Properties?.SqsManagedSseEnabled, id).toBe(true);
  });

  it.each(Object.entries(QUEUES))('%s moves a message to its DLQ on the third failed receive, before it could expire', (queue, { dlq }) => {
    const properties = resource(queue).Properties ?? {};
    expect(properties.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf(dlq), maxReceiveCount: 3 });
    expect(properties.MessageRetentionPeriod as number).toBeLessThan(resource(dlq).Properties?.MessageRetentionPeriod as number);
  });

  it.each(DLQS)('%s keeps messages for 14 days', (dlq) => {
    expect(resource(dlq).Properties?.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
  });

  it('only OrderEventsTopic may send to the subscribed queues and the delivery DLQ', () => {
    const policies = resourcesOfType(template, 'AWS::SQS::QueuePolicy');
    expect(policies.map(([id]) => id)).toEqual(['OrderEventsQueuePolicy']);
    const targets = ['FulfilmentQueue', 'CustomerNotificationQueue', 'OrderEventsDeliveryDLQ'];
    expect(resource('OrderEventsQueuePolicy').Properties).toEqual({
      Queues: targets.map((id) => ({ Ref: id })),
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'OrderEventsTopicDelivers',
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: targets.map(arnOf),
            Condition: { ArnEquals: { 'aws:SourceArn': { Ref: 'OrderEventsTopic' } } },
          },
        ],
      },
    });
  });

  it.each(Object.entries(QUEUES))('%s is subscribed with the SNS envelope, a filter policy and the delivery DLQ', (queue, { subscription }) => {
    const found = resource(subscription) as SamResource & { DependsOn?: string };
    expect(found.DependsOn).toBe('OrderEventsQueuePolicy');
    expect(found.Properties).toMatchObject({
      TopicArn: { Ref: 'OrderEventsTopic' },
      Protocol: 'sqs',
      Endpoint: arnOf(queue),
      RawMessageDelivery: false,
      FilterPolicyScope: 'MessageAttributes',
      RedrivePolicy: { deadLetterTargetArn: arnOf('OrderEventsDeliveryDLQ') },
    });
  });

  // Which queues receive which event, by the subscriptions' filter policies, evaluated the way
  // SNS does (the local cloud's matcher, tested against the SNS documentation's examples).
  it.each([
    ['OrderPlaced', 'PENDING', ['CustomerNotificationQueue', 'FulfilmentQueue']],
    ['OrderStatusChanged', 'CONFIRMED', ['CustomerNotificationQueue']],
    ['OrderStatusChanged', 'SHIPPED', ['CustomerNotificationQueue']],
    ['OrderStatusChanged', 'REJECTED', ['CustomerNotificationQueue']],
    ['OrderStatusChanged', 'PAYMENT_FAILED', ['CustomerNotificationQueue']],
    ['OrderStatusChanged', 'PENDING', []],
    ['OrderCancelled', 'CANCELLED', ['CustomerNotificationQueue']],
    ['OrderTeleported', 'PENDING', []],
  ])('routes %s (status %s) to %j', (eventType, status, expected) => {
    const attributes = Object.fromEntries(
      Object.entries({ eventType, eventVersion: '1', status }).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
    );
    const receivers = Object.entries(QUEUES)
      .filter(([, { subscription }]) => {
        const properties = resource(subscription).Properties ?? {};
        const policy = parseFilterPolicy(properties.FilterPolicy, properties.FilterPolicyScope as 'MessageAttributes');
        return matchesFilterPolicy(policy, { attributes, body: '{}' });
      })
      .map(([queue]) => queue);
    expect(receivers.sort()).toEqual(expected);
  });

  it('every queue subscription filters, dead-letters what SNS cannot deliver, is allowed by the queue policy, and is waited for by the publisher', () => {
    // Derived from the template, not from QUEUES: a consumer added without one of these parts
    // fails here even before its entry in the tables above.
    const subscriptions = resourcesOfType(template, 'AWS::SNS::Subscription').filter(([, subscription]) => subscription.Properties?.Protocol === 'sqs');
    expect(subscriptions.length).toBeGreaterThan(0);
    const policy = resource('OrderEventsQueuePolicy').Properties as { Queues: unknown[]; PolicyDocument: { Statement: Array<{ Resource: unknown[] }> } };
    const publisherWaitsFor = (resource('PublishOrderEventsFunction') as SamResource & { DependsOn?: string[] }).DependsOn ?? [];
    for (const [id, subscription] of subscriptions) {
      const properties = subscription.Properties ?? {};
      expect(properties.FilterPolicy, `${id}: a consumer gets only the events it handles (FilterPolicy)`).toBeDefined();
      expect(properties.RedrivePolicy, `${id}: RedrivePolicy to OrderEventsDeliveryDLQ`).toEqual({ deadLetterTargetArn: arnOf('OrderEventsDeliveryDLQ') });
      const queue = (properties.Endpoint as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(policy.Queues, `${id}: OrderEventsQueuePolicy must list ${queue}`).toContainEqual({ Ref: queue });
      expect(policy.PolicyDocument.Statement[0]?.Resource, `${id}: OrderEventsQueuePolicy must allow sending to ${queue}`).toContainEqual(arnOf(queue));
      expect(publisherWaitsFor, `PublishOrderEventsFunction must DependsOn ${id}`).toContain(id);
    }
  });

  it('every queue has a URL output (operators, redrives, tests against a deployed stack)', () => {
    const outputs = Object.values(template.Outputs ?? {}).map((output) => (output as { Value?: unknown }).Value);
    for (const [id] of resourcesOfType(template, 'AWS::SQS::Queue')) expect(outputs, `an output with Value: !Ref ${id}`).toContainEqual({ Ref: id });
  });

  it('every DLQ alarms on its first message, to AlarmTopic', () => {
    // The queue alarms; the others (API, table, stream, saga, per function) are checked in
    // tests/template/operations.test.ts and state-machine.test.ts.
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(([, alarm]) => alarm.Properties?.Namespace === 'AWS/SQS');
    const watched = alarms.map(([, alarm]) => (alarm.Properties?.Dimensions as Array<{ Value: { 'Fn::GetAtt': [string, string] } }>)[0]?.Value);
    expect(watched.map((value) => value?.['Fn::GetAtt']).sort()).toEqual(DLQS.map((dlq) => [dlq, 'QueueName']).sort());
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties, id).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        OKActions: [{ Ref: 'AlarmTopic' }],
      });
      expect((alarm.Properties?.Dimensions as Array<{ Name: string }>).map((dimension) => dimension.Name), id).toEqual(['QueueName']);
    }
  });

  it('AlarmTopic is encrypted with a key CloudWatch may use, and only this account\'s alarms may publish', () => {
    expect(resource('AlarmTopic').Properties).toMatchObject({ KmsMasterKeyId: { Ref: 'AlarmTopicKey' } });
    const key = resource('AlarmTopicKey').Properties as { EnableKeyRotation: boolean; KeyPolicy: { Statement: Array<Record<string, unknown>> } };
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeyPolicy.Statement.find((statement) => statement.Sid === 'CloudWatchAlarmsPublish')).toEqual({
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    });
    const [statement, ...others] = (resource('AlarmTopicPolicy').Properties?.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(others).toEqual([]);
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: 'AlarmTopic' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });
});

describe('local/sam-local-env.json (`sam local … --env-vars`)', () => {
  // SAM CLI gives a function only the variables the template declares for it (Globals included),
  // with the file's value when it has one: resolved here by SAM CLI's own code.
  const RESOLVE = `
import json, sys
from samcli.local.lambdafn.env_vars import EnvironmentVariables
declared, overrides = json.loads(sys.argv[1])
print(json.dumps({fn: EnvironmentVariables(function_name=fn, function_memory=1024, function_timeout=10,
    function_handler="index.handler", variables=dict.fromkeys(names, "template"), override_values=overrides).resolve()
    for fn, names in declared.items()}))
`;
  const file = JSON.parse(readFileSync(path.join(ROOT, 'local/sam-local-env.json'), 'utf8')) as { Parameters: Record<string, string> };
  const globals = (template.Globals?.Function?.Environment as { Variables: Record<string, unknown> }).Variables;
  const variablesOf = (fn: string) => ({
    ...globals,
    ...((resource(fn).Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}),
  });

  it('is one Parameters block for every function', () => {
    expect(Object.keys(file)).toEqual(['Parameters']);
  });

  it('gives every variable that names a resource of the template its local cloud value', () => {
    // The local cloud's names (local/src/template/resource-registry.ts, topic and state machine
    // named by logical id in account 000000000000, us-east-1).
    const LOCAL_VALUES: Record<string, string> = {
      OrdersTable: 'OrdersTable',
      OrderEventsTopic: 'arn:aws:sns:us-east-1:000000000000:OrderEventsTopic',
      FulfilmentStateMachine: 'arn:aws:states:us-east-1:000000000000:stateMachine:FulfilmentStateMachine',
    };
    const declared = Object.fromEntries(ALL_FUNCTIONS.map(({ fn }) => [fn, Object.keys(variablesOf(fn))]));
    const result = run(venvTool('python'), ['-c', RESOLVE, JSON.stringify([declared, file.Parameters])]);
    expect(result.status, result.output).toBe(0);
    const received = JSON.parse(result.stdout) as Record<string, Record<string, string>>;
    for (const { fn } of ALL_FUNCTIONS) {
      for (const [name, value] of Object.entries(variablesOf(fn))) {
        const ref = (value as { Ref?: string } | null)?.Ref;
        if (ref === undefined || !(ref in template.Resources)) continue;
        expect(LOCAL_VALUES[ref], `${fn}: ${name} refers to ${ref}; add its local value here and to the file`).toBeDefined();
        expect(received[fn]?.[name], `${fn}: ${name}`).toBe(LOCAL_VALUES[ref]);
      }
    }
  });

  it('points every function’s SDK at the local cloud, and leaves the endpoints empty (ignored) in AWS', () => {
    const endpoints = Object.keys(file.Parameters).filter((name) => name.startsWith('AWS_ENDPOINT_URL_'));
    expect(endpoints.sort()).toEqual(['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SFN', 'AWS_ENDPOINT_URL_SNS', 'AWS_ENDPOINT_URL_SQS']);
    for (const name of endpoints) expect(globals[name], `${name} in Globals`).toBe('');
    const declared = Object.fromEntries(ALL_FUNCTIONS.map(({ fn }) => [fn, Object.keys(variablesOf(fn))]));
    const result = run(venvTool('python'), ['-c', RESOLVE, JSON.stringify([declared, file.Parameters])]);
    expect(result.status, result.output).toBe(0);
    const received = JSON.parse(result.stdout) as Record<string, Record<string, string>>;
    for (const { fn } of ALL_FUNCTIONS) {
      for (const name of endpoints) expect(received[fn]?.[name], `${fn}: ${name}`).toBe(file.Parameters[name]);
    }
  });
});

describe('first deployment: API Gateway’s CloudWatch Logs role (docs/decisions.md, D22)', () => {
  type Parameter = { Default?: string; AllowedPattern?: string; AllowedValues?: string[]; ConstraintDescription?: string };
  const parameters = template.Parameters as Record<string, Parameter>;
  const logsRole = parameters.ApiGatewayLogsRole;
  // CloudFormation matches AllowedPattern against the whole value.
  const allowed = (value: string) => new RegExp(`^(?:${logsRole?.AllowedPattern})$`).test(value);
  const conditions = template.Conditions ?? {};

  /** The resources CloudFormation would create for a value of ApiGatewayLogsRole, and the role the account setting gets. */
  function deployedWith(value: string) {
    const condition = resource('ApiGatewayCloudWatchRole').Condition;
    expect(conditions[condition ?? '']).toEqual({ 'Fn::Equals': [{ Ref: 'ApiGatewayLogsRole' }, 'create'] });
    const creates = value === 'create';
    const roleArn = resource('ApiGatewayAccount').Properties?.CloudWatchRoleArn as { 'Fn::If': [string, unknown, unknown] };
    expect(roleArn['Fn::If'][0]).toBe(condition);
    const chosen = roleArn['Fn::If'][creates ? 1 : 2];
    return { createsRole: creates, accountRole: (chosen as { Ref?: string }).Ref === 'ApiGatewayLogsRole' ? value : chosen };
  }

  it('the default answers of `sam deploy --guided` create the role and set it: a fresh account works', () => {
    // SAM CLI's own guided prompt, every question answered with its default (Enter).
    const GUIDED = `
import json, sys
from unittest import mock
from samcli.commands.deploy import guided_context
from samcli.cli.types import CfnParameterOverridesType
from samcli.lib.config.samconfig import SamConfig
parameters = json.loads(sys.argv[1])
overrides = CfnParameterOverridesType().convert((SamConfig(".").get_all(["deploy"], "parameters", "default").get("parameter_overrides", ""),), None, None)
with mock.patch.object(guided_context, "prompt", lambda text, default=None, **kwargs: default):
    answers = guided_context.GuidedContext.prompt_parameters(object.__new__(guided_context.GuidedContext), parameters, overrides, "", "")
print(json.dumps({key: answer["Value"] for key, answer in answers.items()}))
`;
    const result = run(venvTool('python'), ['-c', GUIDED, JSON.stringify(parameters)]);
    expect(result.status, result.output).toBe(0);
    const answers = JSON.parse(result.stdout) as Record<string, string>;
    expect(Object.keys(answers).sort()).toEqual(Object.keys(parameters).sort());
    expect(answers.ApiGatewayLogsRole).toBe('create');
    expect(allowed(answers.ApiGatewayLogsRole!)).toBe(true);
    expect(deployedWith('create')).toEqual({ createsRole: true, accountRole: { 'Fn::GetAtt': ['ApiGatewayCloudWatchRole', 'Arn'] } });
  });

  it('an existing role’s ARN is set instead, and no role is created', () => {
    const arn = 'arn:aws:iam::123456789012:role/service-role/apigateway-logs';
    expect(allowed(arn)).toBe(true);
    expect(allowed('arn:aws-cn:iam::123456789012:role/apigateway-logs')).toBe(true);
    expect(deployedWith(arn)).toEqual({ createsRole: false, accountRole: arn });
  });

  it('any other value fails parameter validation, before any resource is created, saying what to set', () => {
    // The old switch's values, a role name, another kind of ARN, nothing.
    for (const value of ['true', 'false', 'apigateway-logs', 'arn:aws:iam::123456789012:user/someone', 'arn:aws:iam::12345:role/x', '', ' create']) {
      expect(allowed(value), JSON.stringify(value)).toBe(false);
    }
    expect(logsRole?.ConstraintDescription).toMatch(/`create`/);
    expect(logsRole?.ConstraintDescription).toContain('aws apigateway get-account --query cloudwatchRoleArn');
    expect(parameters).not.toHaveProperty('ManageApiGatewayAccountRole');
  });

  it('keeps the role and the account setting when the stack is deleted, so other APIs’ logs never point at a deleted role', () => {
    for (const id of ['ApiGatewayCloudWatchRole', 'ApiGatewayAccount']) {
      expect(resource(id), id).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    expect(resource('ApiGatewayAccount').Condition).toBeUndefined();
    expect(resource('ApiGatewayCloudWatchRole').Properties).toMatchObject({
      AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs' }],
    });
  });

  it('the stage is created after the account setting: its access log group waits for it', () => {
    // After SAM's transform, as CloudFormation sees it: stage -> access log group -> account setting.
    const transformed = loadTemplate('transform');
    const [[, stage] = []] = resourcesOfType(transformed, 'AWS::ApiGateway::Stage');
    expect(stage?.Properties?.AccessLogSetting).toMatchObject({ DestinationArn: { 'Fn::GetAtt': ['ApiAccessLogGroup', 'Arn'] } });
    expect(transformed.Resources.ApiAccessLogGroup?.Properties?.Tags).toContainEqual({ Key: 'api-gateway-account', Value: { Ref: 'ApiGatewayAccount' } });
    expect(transformed.Resources.ApiGatewayAccount).toMatchObject({ Type: 'AWS::ApiGateway::Account', DeletionPolicy: 'Retain' });
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

  it.each(['default', 'dev', 'prod'] as const)('%s: lints on validate, builds cached, in parallel and in source, deploys with IAM capability via a managed bucket', (name) => {
    const env = environments[name];
    expect(env.validate).toMatchObject({ lint: true });
    // In source: the only way SAM finds the repository's esbuild without it on PATH (D3).
    expect(env.build).toMatchObject({ cached: true, parallel: true, build_in_source: true });
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
