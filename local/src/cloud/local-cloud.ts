import type { ApiDefinition } from '../apigateway/from-template.ts';
import { RouteTable } from '../apigateway/route-table.ts';
import type { ProvisionedUserPool } from '../cognito/from-template.ts';
import { assertPortsFree, freePort, PortInUseError } from '../core/ports.ts';
import { checkTimeScale } from '../core/time-scale.ts';
import type { ProvisionedTable } from '../dynamodb/from-template.ts';
import type { EventSourceJournal } from '../event-sources/journal.ts';
import type { RunningEventSourceMappings } from '../event-sources/mappings.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';
import type { LocalFaults } from '../faults/local-faults.ts';
import type { LocalIam } from '../iam/local-iam.ts';
import type { LambdaServiceOptions, LocalLambdaService } from '../lambda/lambda-service.ts';
import type { WebAppSource } from '../web/web-build.ts';
import { CATALOG_SEEDING_ROUTES, type SeededProduct, seedCatalog } from '../seed/seed-catalog.ts';
import { readSeedCatalog, type SeedUser } from '../seed/seed-files.ts';
import { idTokenFor } from '../seed/sign-in.ts';
import type { RunningLocalStepFunctions } from '../stepfunctions/from-template.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO, type IntrinsicResolver, type PseudoParameters } from '../template/intrinsics.ts';
import { type LoadedTemplate, loadTemplate } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import type { LocalCloudFacts } from './description.ts';
import type { EmulatedService, ServiceContext } from './emulated-service.ts';
import type { LocalCloudLog } from './local-cloud-log.ts';
import { openFunctionLogFile } from './function-log-file.ts';
import { type LocalMessaging, messagingView } from './local-messaging.ts';
import { type QueueSummary, summarizeQueues } from './queue-summary.ts';
import { LOCAL_SERVICES, type RunningServices } from './services.ts';

export interface LocalCloudOptions {
  templatePath: string;
  /** `sqs`, `sns` and `control` default to 0: any free port. */
  ports: { api: number; dynamoDb: number; cognito: number; sqs?: number; sns?: number; control?: number; sfn?: number; web?: number };
  /**
   * The web app to serve (web/service.ts): its Vite project, built first when `dist/` is
   * missing or stale unless `build` is false. Unset: no web app.
   */
  web?: WebAppSource & { build?: boolean };
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
   * windows) and stream retry backoff run 1/timeScale times faster. See core/time-scale.ts.
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
  /**
   * Whether a call AWS would deny fails (see iam/README.md). Unset: on unless the LOCAL_IAM
   * environment variable is `off`; off, denied calls go ahead and are only logged.
   */
  enforceIam?: boolean;
  /**
   * Where to keep every line the functions write, as JSON Lines (`npm run trail` reads it; see
   * function-log-file.ts). Started afresh; unset: the lines only go to `log`.
   */
  functionLogFile?: string;
}

/**
 * The parameter values the local cloud deploys with, under `parameterOverrides`. CorsAllowOrigin:
 * in AWS its default is the web app's CloudFront origin (docs/decisions.md, D27); here the web
 * app, the API reference page and curl reach the API from other loopback origins, so any origin.
 */
export const LOCAL_PARAMETER_DEFAULTS: Readonly<Record<string, string>> = { CorsAllowOrigin: '*' };

/** A running local cloud: endpoints, what was provisioned and seeded, and how to stop it. */
export interface LocalCloud extends LocalCloudFacts {
  stepFunctions: RunningLocalStepFunctions;
  /** The fault plan at work (armed once the cloud is seeded), or undefined when it has none. */
  faults: LocalFaults | undefined;
  tables: ProvisionedTable[];
  userPools: ProvisionedUserPool[];
  users: SeedUser[];
  lambda: LocalLambdaService;
  /** The IAM engine: roles, resource policies, and what each role used (for the least-privilege report). */
  iam: LocalIam;
  /** Queues, topics and subscriptions from the template, and the SQS/SNS services holding them. */
  messaging: LocalMessaging;
  /** Every queue with its URL and dead-letter wiring, by template order. */
  queues: QueueSummary[];
  eventSources: RunningEventSourceMappings;
  journal: EventSourceJournal;
  template: LoadedTemplate;
  resolver: IntrinsicResolver;
  registry: ResourceRegistry;
  /** Why the web app is not served, when `webUrl` is unset. */
  webUnavailable?: string;
  stop(): Promise<void>;
}

/**
 * Starts the whole system from template.yaml: every service of `LOCAL_SERVICES` in its order
 * (the queues and topics, DynamoDB Local and cognito-local with the template's tables and user
 * pools, the functions, the state machines, the event source mappings, the control endpoint and
 * the API), then the demo data. State lives only as long as the process (in-memory DynamoDB, a
 * fresh user pool), so every start is identical. If any step fails, whatever was started is
 * stopped again.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const { ports } = options;
  let log = options.log;
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
    await assertPortsFree(requestedPorts(ports));
    if (options.functionLogFile !== undefined) {
      const file = await openFunctionLogFile(options.functionLogFile);
      // Closed last (stops run in reverse): the functions' final lines still reach it.
      stops.push(() => file.close());
      const shown = log;
      log = {
        ...shown,
        functionLine: (line) => {
          shown.functionLine(line);
          file.append(line);
        },
      };
    }

    const pseudo: PseudoParameters = { ...DEFAULT_PSEUDO, ...options.pseudo };
    const registry = new ResourceRegistry(template, pseudo);
    const parameterOverrides = { ...LOCAL_PARAMETER_DEFAULTS, ...options.parameterOverrides };
    const resolver = createIntrinsicResolver({ template, resources: registry, parameterOverrides, pseudo });
    const running: Partial<RunningServices> = {};
    const context: ServiceContext = {
      options,
      template: loaded,
      resolver,
      registry,
      pseudo,
      timeScale,
      log,
      functionEndpoints: {},
      get(name) {
        const service = running[name];
        if (service === undefined) throw new Error(`The ${name} service is not running yet: check the order of LOCAL_SERVICES`);
        return service;
      },
    };

    for (const step of LOCAL_SERVICES) for (const service of step) service.register?.(context);
    for (const step of LOCAL_SERVICES) {
      // Every service of a step is started, and each that started is stopped again on failure.
      const outcomes = await Promise.allSettled(
        step.map(async (service) => {
          const started = await service.start(context);
          stops.push(() => started.stop());
          (running as Record<string, unknown>)[service.name] = started;
          return started;
        }),
      );
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
      for (const outcome of outcomes) if (outcome.status === 'fulfilled') Object.assign(context.functionEndpoints, outcome.value.functionEndpoints);
    }

    const services = running as RunningServices;
    const { lambda } = services.lambda;
    const cognito = services.cognito;
    const api = services.apigateway;
    if (options.seed !== false) lambda.prewarm(functionsBehind(api.api, CATALOG_SEEDING_ROUTES));
    await cognito.usersSeeded;
    const products =
      options.seed === false ? [] : await seedDemoCatalog(api.url, cognito.primaryPool, cognito.clientId, cognito.seedUsers, cognito.endpoint);
    // The event consumers' cold starts happen now, in the background, not on the first order.
    lambda.prewarm(services.eventSources.mappings.functionLogicalIds);
    const { faults } = services.faults;
    if (faults !== undefined) {
      faults.arm(lambda);
      log.warn(`Fault plan armed: ${faults.describe()}`);
    }
    log.info(`Local cloud ready in ${Math.round(performance.now() - started)} ms`);

    const messaging = messagingView(services.sqs, services.sns);
    return {
      apiUrl: api.url,
      dynamoDbEndpoint: services.dynamodb.endpoint,
      cognitoEndpoint: cognito.endpoint,
      sqsEndpoint: services.sqs.endpoint,
      snsEndpoint: services.sns.endpoint,
      sfnEndpoint: services.stepfunctions.endpoint,
      stepFunctions: services.stepfunctions,
      controlUrl: services.control.url,
      codeDeployEndpoint: services.codedeploy.endpoint,
      cloudFormationEndpoint: services.cloudformation.endpoint,
      webUrl: services.web.url,
      webUnavailable: services.web.unavailable,
      stackName: services.cloudformation.stackName,
      ...(options.functionLogFile === undefined ? {} : { functionLogFile: options.functionLogFile }),
      region: pseudo.region,
      timeScale,
      faults,
      tables: services.dynamodb.tables,
      userPools: cognito.userPools,
      userPoolId: cognito.primaryPool.userPoolId,
      clientId: cognito.clientId,
      users: options.seed === false ? [] : cognito.seedUsers.users,
      password: cognito.seedUsers.password,
      products,
      apiKey: api.apiKey?.value,
      lambda,
      iam: services.iam.iam,
      messaging,
      queues: summarizeQueues(messaging, services.eventSources.definitions),
      eventSources: services.eventSources.mappings,
      journal: services.eventSources.journal,
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

/** Every port a service of `LOCAL_SERVICES` was asked to listen on (0 or unset: any free port, nothing to check). */
export function requestedPorts(ports: LocalCloudOptions['ports']): Array<{ port: number; purpose: string; envVariable: string }> {
  const services: ReadonlyArray<EmulatedService> = LOCAL_SERVICES.flat();
  return services.flatMap(({ port: wanted }) => {
    const port = wanted === undefined ? undefined : ports[wanted.option];
    return wanted === undefined || port === undefined || port === 0 ? [] : [{ port, purpose: wanted.purpose, envVariable: wanted.envVariable }];
  });
}

function functionsBehind(api: ApiDefinition, requests: ReadonlyArray<{ method: string; path: string }>): string[] {
  const routes = new RouteTable(api.routes);
  return requests.flatMap(({ method, path }) => {
    const match = routes.match(method, path);
    return match.kind === 'route' ? [match.route.functionLogicalId] : [];
  });
}

async function seedDemoCatalog(
  apiUrl: string,
  pool: ProvisionedUserPool,
  clientId: string,
  seed: { password: string; users: SeedUser[] },
  cognitoEndpoint: string,
): Promise<SeededProduct[]> {
  const admin = seed.users.find((user) => user.groups.includes('admin'));
  if (admin === undefined) throw new Error(`No seed user is in the admin group of ${pool.logicalId}; the catalog is seeded as an admin`);
  const token = await idTokenFor(cognitoEndpoint, clientId, admin.email, seed.password);
  return seedCatalog(apiUrl, token, await readSeedCatalog());
}

/**
 * A local cloud on ports the OS says are free (tests, `npm run demo`, `npm run invoke`: beside a
 * developer's `npm start`). A port is free when it is chosen, not when DynamoDB Local or
 * cognito-local binds it seconds later; meanwhile another process's listener may have been
 * given it. When a start fails because a port was taken, it starts again on new ones.
 */
export async function startLocalCloudOnFreePorts(options: Omit<LocalCloudOptions, 'ports'>, attempts = 3): Promise<LocalCloud> {
  for (let attempt = 1; ; attempt += 1) {
    const [api, dynamoDb, cognito] = await Promise.all([freePort(), freePort(), freePort()]);
    try {
      return await startLocalCloud({ ...options, ports: { api, dynamoDb, cognito } });
    } catch (error) {
      if (attempt >= attempts || !portWasTaken(error)) throw error;
      options.log.warn(`A port was taken before its service could bind it (${(error as Error).message.split('\n')[0]}); starting again on other ports`);
    }
  }
}

function portWasTaken(error: unknown): boolean {
  return error instanceof PortInUseError || (error instanceof Error && /EADDRINUSE|address already in use/i.test(error.message));
}
