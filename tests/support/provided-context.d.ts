import type { QueueSummary } from '#local/cloud/queue-summary.ts';
import type { SeededProduct } from '#local/seed/seed-catalog.ts';
import type { SeedUser } from '#local/seed/seed-files.ts';

// What tests/support/global-setup.ts provides to integration tests through `inject(...)`.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the local API, no trailing slash (`http://127.0.0.1:<port>`). */
    apiUrl: string;
    /** DynamoDB Local endpoint. */
    dynamoEndpoint: string;
    /** The local name of the template's OrdersTable. */
    tableName: string;
    /** Local names of every table, by logical id. */
    tableNames: Record<string, string>;
    cognitoEndpoint: string;
    userPoolId: string;
    clientId: string;
    region: string;
    /** Seeded users (`alice@example.com`, `bob@example.com` customers, `admin@example.com` in admin). */
    users: SeedUser[];
    /** The one password of every seeded user. */
    password: string;
    /** The seeded catalog, in local/seed/catalog.json order. */
    products: SeededProduct[];
    productIds: string[];
    /** Where the local cloud's log for this run is (requests, function output, errors). */
    localCloudLog: string;
    /** The local SQS endpoint (AWS JSON protocol): `new SQSClient({ endpoint })`. */
    sqsEndpoint: string;
    /** The local SNS endpoint (query protocol; Publish and PublishBatch). */
    snsEndpoint: string;
    /** The local-only control endpoint: faults, event source batches (tests/support/faults.ts). */
    controlUrl: string;
    /** Queue time runs 1/timeScale times faster than the template says (local/README.md). */
    timeScale: number;
    /** Every queue of the template by logical id: URL, ARN, dead-letter wiring. */
    queues: Record<string, QueueSummary>;
    /** Local queue URLs by logical id. */
    queueUrls: Record<string, string>;
    /** Topic ARNs by logical id. */
    topicArns: Record<string, string>;
    /** The local Step Functions endpoint. */
    sfnEndpoint: string;
    /** State machine ARNs by logical id. */
    stateMachineArns: Record<string, string>;
  }
}
