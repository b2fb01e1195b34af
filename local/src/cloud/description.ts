import type { SeededProduct } from '../seed/seed-catalog.ts';
import type { LocalCloud } from './local-cloud.ts';
import type { QueueSummary } from './queue-summary.ts';

/** What the in-process handle (`LocalCloud`) and the description say alike: endpoints, user pool, seed data. */
export interface LocalCloudFacts {
  apiUrl: string;
  dynamoDbEndpoint: string;
  cognitoEndpoint: string;
  /** The local SQS endpoint (AWS JSON protocol): `new SQSClient({ endpoint })`. */
  sqsEndpoint: string;
  /** The local SNS endpoint (query protocol; Publish and PublishBatch). */
  snsEndpoint: string;
  /** The local Step Functions API (the template's state machines). */
  sfnEndpoint: string;
  /** The local CodeDeploy API: a deployment of a function's group runs its PreTraffic hook (codedeploy/). */
  codeDeployEndpoint: string;
  /** The local-only control endpoint (faults, event source batches); see control/control-server.ts. */
  controlUrl: string;
  /** CloudFormation `DescribeStacks` of the local cloud as stack `stackName` (tests in stack mode). */
  cloudFormationEndpoint: string;
  /** The web app with its `/config.json` (web/service.ts), when it is served. */
  webUrl?: string;
  stackName: string;
  /** Every line the functions wrote, as JSON Lines (`npm run trail`), when the cloud keeps one. */
  functionLogFile?: string;
  region: string;
  /** Queue time runs 1/timeScale times faster than the template says (1 unless LOCAL_CLOUD_TIME_SCALE is set). */
  timeScale: number;
  /** The first user pool and its first app client: the ones the API's authorizer trusts. */
  userPoolId: string;
  clientId: string;
  /** The seeded catalog, in local/seed/catalog.json order. */
  products: SeededProduct[];
  /** The one password of every seeded user. */
  password: string;
  /**
   * The value of the API key the local cloud creates for the API's usage plan (the template's
   * `Auth.UsagePlan`): send it as `x-api-key` on the routes that require a key (/partner/...).
   * Fixed (`local-<key's logical id>`), unlike AWS's generated value; undefined without a plan.
   */
  apiKey: string | undefined;
}

/**
 * The one description of a running local cloud, as plain JSON: `npm start` writes it to the
 * state file (which `npm run token`, `queues`, `executions` and `demo` read), and the
 * integration tests' global setup provides each field to `inject(...)`.
 */
export interface LocalCloudDescription extends LocalCloudFacts {
  /** Local table names by logical id. */
  tableNames: Record<string, string>;
  /** Every queue of the template by logical id: URL, ARN, dead-letter wiring. */
  queues: Record<string, QueueSummary>;
  /** Topic ARNs by logical id. */
  topicArns: Record<string, string>;
  /** State machine ARNs by logical id. */
  stateMachineArns: Record<string, string>;
  /** The seeded users' emails (`alice@example.com`, `bob@example.com` customers, `admin@example.com` in admin). */
  users: string[];
}

export function describeLocalCloud(cloud: LocalCloud): LocalCloudDescription {
  return {
    apiUrl: cloud.apiUrl,
    dynamoDbEndpoint: cloud.dynamoDbEndpoint,
    cognitoEndpoint: cloud.cognitoEndpoint,
    sqsEndpoint: cloud.sqsEndpoint,
    snsEndpoint: cloud.snsEndpoint,
    sfnEndpoint: cloud.sfnEndpoint,
    controlUrl: cloud.controlUrl,
    codeDeployEndpoint: cloud.codeDeployEndpoint,
    cloudFormationEndpoint: cloud.cloudFormationEndpoint,
    webUrl: cloud.webUrl,
    stackName: cloud.stackName,
    ...(cloud.functionLogFile === undefined ? {} : { functionLogFile: cloud.functionLogFile }),
    region: cloud.region,
    timeScale: cloud.timeScale,
    userPoolId: cloud.userPoolId,
    clientId: cloud.clientId,
    tableNames: Object.fromEntries(cloud.tables.map((table) => [table.logicalId, table.tableName])),
    queues: Object.fromEntries(cloud.queues.map((queue) => [queue.logicalId, queue])),
    topicArns: Object.fromEntries(cloud.messaging.topics.map((topic) => [topic.logicalId, topic.arn])),
    stateMachineArns: Object.fromEntries(cloud.stepFunctions.stateMachines.map((machine) => [machine.logicalId, machine.arn])),
    users: cloud.users.map((user) => user.email),
    password: cloud.password,
    products: cloud.products,
    apiKey: cloud.apiKey,
  };
}
