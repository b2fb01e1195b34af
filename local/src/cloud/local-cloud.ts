import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { type ApiDefinition, readApiDefinitions } from '../apigateway/from-template.ts';
import { type RunningApiServer, startApiServer } from '../apigateway/api-server.ts';
import { createCognitoAuthorizer, type TokenAuthorizer } from '../apigateway/cognito-authorizer.ts';
import { readFunctionDefinitions } from '../lambda/from-template.ts';
import { functionArn } from '../lambda/lambda-environment.ts';
import { LocalLambdaService, type LambdaServiceOptions } from '../lambda/lambda-service.ts';
import { readEventSourceDefinitions } from '../event-sources/from-template.ts';
import { EventSourceJournal } from '../event-sources/journal.ts';
import { type RunningEventSourceMappings, startEventSourceMappings } from '../event-sources/mappings.ts';
import { type LocalMessaging, startLocalMessaging } from '../messaging/local-messaging.ts';
import { type QueueSummary, summarizeQueues } from './queue-summary.ts';
import { checkTimeScale } from '../core/time-scale.ts';
import { type ProvisionedTable, provisionTables } from '../dynamodb/from-template.ts';
import { type ProvisionedUserPool, provisionUserPools } from '../cognito/from-template.ts';
import { RouteTable } from '../apigateway/route-table.ts';
import { CATALOG_SEEDING_ROUTES, type SeededProduct, seedCatalog } from '../seed/seed-catalog.ts';
import { readSeedCatalog, readSeedUsers, type SeedUser } from '../seed/seed-files.ts';
import { seedUsers } from '../seed/seed-users.ts';
import { idTokenFor } from '../seed/sign-in.ts';
import { startCognitoLocal } from '../cognito/cognito-local.ts';
import { startDynamoDbLocal } from '../dynamodb/dynamodb-local.ts';
import { assertPortsFree } from '../core/ports.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO, type IntrinsicResolver, type PseudoParameters } from '../template/intrinsics.ts';
import { type LoadedTemplate, loadTemplate } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { invokeThroughLambdaService } from '../stepfunctions/lambda-invoker.ts';
import { registerStateMachines, type RunningLocalStepFunctions, startLocalStepFunctions } from '../stepfunctions/from-template.ts';
import { startControlServer } from './control-server.ts';
import { FAULT_PLAN_ENV, type FaultPlan, isActive, parseFaultPlan } from '../faults/fault-plan.ts';
import { type LocalFaults, startLocalFaults } from '../faults/local-faults.ts';
import type { LocalCloudLog } from './local-cloud-log.ts';
import { LOCAL_CREDENTIALS } from '../core/aws-account.ts';

export interface LocalCloudOptions {
  templatePath: string;
  /** `sqs`, `sns` and `control` default to 0: any free port. */
  ports: { api: number; dynamoDb: number; cognito: number; sqs?: number; sns?: number; control?: number; sfn?: number };
  /** cognito-local keeps its files here; emptied at start. */
  cognitoDataDirectory: string;
  log: LocalCloudLog;
  /** Like `sam deploy --parameter-overrides`. */
  parameterOverrides?: Record<string, string>;
  /** Create the demo users and catalog (default true). */
  seed?: boolean;
  /** Extra environment for every function, applied last (e.g. a quieter log level). */
  functionEnvironment?: Record<string, string>;
  pseudo?: Partial<PseudoParameters>;
  /**
   * 0 < timeScale ≤ 1 (default 1): queue time (visibility timeouts, delays, retention, batching
   * windows) and stream retry backoff run 1/timeScale times faster. See messaging/time-scale.ts.
   */
  timeScale?: number;
  /** Benchmark hooks (off by default): every function invocation, and with `onSdkCall` every AWS SDK call a handler makes (see lambda/sdk-metrics.ts). */
  onInvocation?: LambdaServiceOptions['onInvocation'];
  onSdkCall?: LambdaServiceOptions['onSdkCall'];
  /**
   * Fault injection (local test facility, off by default; see faults/fault-plan.ts): handler
   * throws and timeouts, payment provider outages, DynamoDB throttling, at given rates. Unset:
   * read from the LOCAL_FAULTS environment variable (JSON); `null`: none, whatever it says.
   */
  faults?: FaultPlan | null;
}

/** A running local cloud: endpoints, what was provisioned and seeded, and how to stop it. */
export interface LocalCloud {
  apiUrl: string;
  dynamoDbEndpoint: string;
  cognitoEndpoint: string;
  sqsEndpoint: string;
  snsEndpoint: string;
  /** The local Step Functions API (the template's state machines). */
  sfnEndpoint: string;
  stepFunctions: RunningLocalStepFunctions;
  /** The local-only control endpoint (faults, event source batches); see control-server.ts. */
  controlUrl: string;
  region: string;
  timeScale: number;
  /** The fault plan at work (armed once the cloud is seeded), or undefined when it has none. */
  faults: LocalFaults | undefined;
  tables: ProvisionedTable[];
  userPools: ProvisionedUserPool[];
  /** The first user pool and its first app client: the ones the API's authorizer trusts. */
  userPoolId: string;
  clientId: string;
  users: SeedUser[];
  password: string;
  products: SeededProduct[];
  lambda: LocalLambdaService;
  /** Queues, topics and subscriptions from the template, and the SQS/SNS services holding them. */
  messaging: LocalMessaging;
  /** Every queue with its URL and dead-letter wiring, by template order. */
  queues: QueueSummary[];
  eventSources: RunningEventSourceMappings;
  journal: EventSourceJournal;
  template: LoadedTemplate;
  resolver: IntrinsicResolver;
  registry: ResourceRegistry;
  stop(): Promise<void>;
}

/**
 * Starts the whole system from template.yaml: DynamoDB Local and cognito-local (in parallel),
 * the template's tables and user pools, the functions behind the local API Gateway, and the
 * demo data. State lives only as long as the process (in-memory DynamoDB, a fresh user pool),
 * so every start is identical. If any step fails, whatever was started is stopped again.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const { log, ports } = options;
  const timeScale = checkTimeScale(options.timeScale ?? 1);
  const started = performance.now();
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    const pending = stops.splice(0).reverse();
    for (const stop of pending) await stop().catch((error: unknown) => log.error(`While stopping: ${String(error)}`));
  };

  try {
    const loaded = await loadTemplate(options.templatePath);
    const { template } = loaded;
    await assertPortsFree([
      { port: ports.api, purpose: 'local API', envVariable: 'PORT' },
      { port: ports.dynamoDb, purpose: 'DynamoDB Local', envVariable: 'LOCAL_DYNAMODB_PORT' },
      { port: ports.cognito, purpose: 'cognito-local', envVariable: 'LOCAL_COGNITO_PORT' },
      ...optionalPort(ports.sqs, 'local SQS', 'LOCAL_SQS_PORT'),
      ...optionalPort(ports.sns, 'local SNS', 'LOCAL_SNS_PORT'),
      ...optionalPort(ports.control, 'local control endpoint', 'LOCAL_CONTROL_PORT'),
      ...optionalPort(ports.sfn, 'local Step Functions', 'LOCAL_SFN_PORT'),
    ]);

    const pseudo: PseudoParameters = { ...DEFAULT_PSEUDO, ...options.pseudo };
    const registry = new ResourceRegistry(template, pseudo);
    const resolver = createIntrinsicResolver({ template, resources: registry, parameterOverrides: options.parameterOverrides, pseudo });

    // In process and quick, so first: a template SQS or SNS would refuse fails before any
    // process is spawned. Queues and topics are registered before functions are read.
    const messaging = await startLocalMessaging({
      template,
      resolver,
      registry,
      ports: { sqs: ports.sqs ?? 0, sns: ports.sns ?? 0 },
      timeScale,
      onWarning: (message) => log.warn(message),
    });
    stops.push(messaging.stop);

    const [dynamo, cognito] = await Promise.all([
      startDynamoDbLocal(ports.dynamoDb).then((service) => (stops.push(service.stop), service)),
      startCognitoLocal(ports.cognito, options.cognitoDataDirectory).then((service) => (stops.push(service.stop), service)),
    ]);
    log.info(`DynamoDB Local and cognito-local ready in ${Math.round(performance.now() - started)} ms`);

    // Fault plan: with throttling on, the functions and state machines reach DynamoDB through
    // the throttle proxy (`functionsDynamoDb`); everything is armed only after seeding.
    const faultPlan = options.faults === undefined ? parseFaultPlan(process.env[FAULT_PLAN_ENV] ?? '') : (options.faults ?? undefined);
    const faults = isActive(faultPlan) ? await startLocalFaults(faultPlan, dynamo.endpoint) : undefined;
    if (faults !== undefined) stops.push(faults.stop);
    const functionsDynamoDb = faults?.dynamoDbEndpoint ?? dynamo.endpoint;

    const sdkConfig = { region: pseudo.region, credentials: LOCAL_CREDENTIALS };
    const dynamoClient = new DynamoDBClient({ ...sdkConfig, endpoint: dynamo.endpoint });
    const cognitoClient = new CognitoIdentityProviderClient({ ...sdkConfig, endpoint: cognito.endpoint });
    stops.push(async () => {
      dynamoClient.destroy();
      cognitoClient.destroy();
    });

    const [tables, userPools, seedUsersFile] = await Promise.all([
      provisionTables(template, resolver, registry, dynamoClient),
      provisionUserPools(template, resolver, registry, cognitoClient, cognito.endpoint),
      readSeedUsers(),
    ]);
    const primaryPool = userPools[0];
    const clientId = primaryPool?.clients[0]?.clientId;
    if (primaryPool === undefined || clientId === undefined) {
      throw new Error('The template declares no AWS::Cognito::UserPool with an AWS::Cognito::UserPoolClient');
    }
    const seeding = options.seed === false ? Promise.resolve() : seedUsers(cognitoClient, primaryPool, seedUsersFile);

    // State machines are registered before functions are read (their ARNs go into function
    // environments) and served before the functions start; the service reaches the functions
    // through the Lambda service created just below, hence the late binding.
    registerStateMachines(template, resolver, registry);
    let lambdaService: LocalLambdaService | undefined;
    const stepFunctions: RunningLocalStepFunctions = await startLocalStepFunctions({
      template: loaded,
      resolver,
      invokeLambda: (functionName, payload) => {
        if (lambdaService === undefined) throw new Error('The Lambda service is not running yet');
        return invokeThroughLambdaService(lambdaService)(functionName, payload);
      },
      dynamoDbEndpoint: functionsDynamoDb,
      region: pseudo.region,
      timeScale,
      port: ports.sfn ?? 0,
      log,
    });

    const functions = readFunctionDefinitions(template, resolver, loaded.directory);
    const lambda = new LocalLambdaService({
      functions,
      region: pseudo.region,
      accountId: pseudo.accountId,
      serviceEndpoints: {
        DYNAMODB: functionsDynamoDb,
        DYNAMODB_STREAMS: dynamo.endpoint,
        COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
        SQS: messaging.sqsEndpoint,
        SNS: messaging.snsEndpoint,
        SFN: stepFunctions.endpoint,
      },
      overrides: options.functionEnvironment,
      onLog: (line) => log.functionLine(line),
      onFault: (functionLogicalId, message) => log.warn(`Local fault in ${functionLogicalId}: ${message}`),
      onInvocation: options.onInvocation,
      onSdkCall: options.onSdkCall,
    });
    lambdaService = lambda;
    // Executions stop before the functions they call.
    stops.push(() => lambda.stop());
    stops.push(() => stepFunctions.stop());

    // Mappings start before the catalog is seeded: products never pass the stream's filter, and
    // whatever is written from now on is delivered.
    const journal = new EventSourceJournal();
    const eventSourceReading = readEventSourceDefinitions(functions, resolver, messaging.queues);
    for (const warning of eventSourceReading.warnings) log.warn(warning);
    const eventSources = await startEventSourceMappings({
      definitions: eventSourceReading.mappings,
      lambda,
      messaging,
      dynamoDbEndpoint: dynamo.endpoint,
      region: pseudo.region,
      functionArn: (functionLogicalId) => {
        const fn = functions.find((candidate) => candidate.logicalId === functionLogicalId);
        return fn === undefined ? functionLogicalId : functionArn(fn, { region: pseudo.region, accountId: pseudo.accountId, serviceEndpoints: {} });
      },
      timeScale,
      journal,
      log,
    });
    stops.push(() => eventSources.stop());
    const control = await startControlServer({ lambda, journal, port: ports.control ?? 0, onFaultChange: (message) => log.warn(message) });
    stops.push(() => control.close());

    const api = chooseApi(readApiDefinitions(template, resolver, functions), log);
    if (options.seed !== false) lambda.prewarm(functionsBehind(api, CATALOG_SEEDING_ROUTES));
    const server = await startApiServer({
      api,
      lambda,
      authorizers: await authorizersFor(api, userPools),
      host: '127.0.0.1',
      port: ports.api,
      accountId: pseudo.accountId,
      onRequest: (entry) => log.request(entry),
      onIntegrationError: (message) => log.error(message),
    });
    stops.push(() => server.close());
    await seeding;

    const products = options.seed === false ? [] : await seedDemoCatalog(server, primaryPool, clientId, seedUsersFile, cognito.endpoint);
    // The event consumers' cold starts happen now, in the background, not on the first order.
    lambda.prewarm(eventSources.functionLogicalIds);
    if (faults !== undefined) {
      faults.arm(lambda);
      log.warn(`Fault plan armed: ${faults.describe()}`);
    }
    log.info(`Local cloud ready in ${Math.round(performance.now() - started)} ms`);

    return {
      apiUrl: server.url,
      dynamoDbEndpoint: dynamo.endpoint,
      cognitoEndpoint: cognito.endpoint,
      sqsEndpoint: messaging.sqsEndpoint,
      snsEndpoint: messaging.snsEndpoint,
      sfnEndpoint: stepFunctions.endpoint,
      stepFunctions,
      controlUrl: control.url,
      region: pseudo.region,
      timeScale,
      faults,
      tables,
      userPools,
      userPoolId: primaryPool.userPoolId,
      clientId,
      users: options.seed === false ? [] : seedUsersFile.users,
      password: seedUsersFile.password,
      products,
      lambda,
      messaging,
      queues: summarizeQueues(messaging, eventSourceReading.mappings),
      eventSources,
      journal,
      template: loaded,
      resolver,
      registry,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function optionalPort(port: number | undefined, purpose: string, envVariable: string) {
  return port === undefined || port === 0 ? [] : [{ port, purpose, envVariable }];
}

function functionsBehind(api: ApiDefinition, requests: ReadonlyArray<{ method: string; path: string }>): string[] {
  const routes = new RouteTable(api.routes);
  return requests.flatMap(({ method, path }) => {
    const match = routes.match(method, path);
    return match.kind === 'route' ? [match.route.functionLogicalId] : [];
  });
}

function chooseApi(apis: ApiDefinition[], log: LocalCloudLog): ApiDefinition {
  const [api, ...others] = apis;
  if (api === undefined) throw new Error('The template has no function with an Api event: nothing to serve');
  if (others.length > 0) log.warn(`Serving ${api.logicalId} only; ${others.map((other) => other.logicalId).join(', ')} not served`);
  if (api.authorizePreflight) {
    log.warn(
      `${api.logicalId} puts its default authorizer on CORS preflight (AddDefaultAuthorizerToCorsPreflight is not false), ` +
        'so browsers will fail preflight requests, locally as in AWS.',
    );
  }
  return api;
}

async function authorizersFor(api: ApiDefinition, pools: ProvisionedUserPool[]): Promise<Record<string, TokenAuthorizer>> {
  const jwksByPool = new Map<string, Jwks>();
  for (const pool of pools) {
    // Fetched once: cognito-local signs every token with one fixed key.
    const response = await fetch(`${pool.issuer}/.well-known/jwks.json`);
    if (!response.ok) throw new Error(`Fetching the JWKS of ${pool.logicalId} failed with ${response.status}`);
    jwksByPool.set(pool.logicalId, (await response.json()) as Jwks);
  }
  return Object.fromEntries(
    Object.values(api.authorizers).map((authorizer) => {
      const trusted = authorizer.userPoolLogicalIds.map((logicalId) => {
        const pool = pools.find((candidate) => candidate.logicalId === logicalId);
        if (pool === undefined) throw new Error(`Authorizer ${authorizer.name} names ${logicalId}, which is not a user pool in the template`);
        return { issuer: pool.issuer, clientIds: pool.clients.map((client) => client.clientId), jwks: jwksByPool.get(logicalId)! };
      });
      return [authorizer.name, createCognitoAuthorizer(trusted, authorizer.validationExpression)];
    }),
  );
}

async function seedDemoCatalog(
  server: RunningApiServer,
  pool: ProvisionedUserPool,
  clientId: string,
  seed: { password: string; users: SeedUser[] },
  cognitoEndpoint: string,
): Promise<SeededProduct[]> {
  const admin = seed.users.find((user) => user.groups.includes('admin'));
  if (admin === undefined) throw new Error(`No seed user is in the admin group of ${pool.logicalId}; the catalog is seeded as an admin`);
  const token = await idTokenFor(cognitoEndpoint, clientId, admin.email, seed.password);
  return seedCatalog(server.url, token, await readSeedCatalog());
}
