import type { LocalCloudDescription } from '#local/cloud/description.ts';

// What tests/support/global-setup.ts provides to integration tests through `inject(...)`: the
// running cloud's description (the same one the state file holds) and a few test conveniences.
declare module 'vitest' {
  export interface ProvidedContext extends LocalCloudDescription {
    /** DynamoDB Local, as `dynamoDbEndpoint` (the name the suites under layers/ and tests/ use). */
    dynamoEndpoint: string;
    /** The local name of the template's OrdersTable. */
    tableName: string;
    /** The seeded products' ids, in local/seed/catalog.json order. */
    productIds: string[];
    /** Where the local cloud's log for this run is (requests, function output, errors). */
    localCloudLog: string;
    /** Local queue URLs by logical id. */
    queueUrls: Record<string, string>;
    /** `stack` in the `stack` project (stack-setup.ts): a deployed stack, reached only over HTTP and AWS APIs. */
    target?: 'local' | 'stack';
    /** Stack mode: the users this run made for the seeded users' roles (auth.ts `seededUsers`). */
    roleUsers?: { alice: string; bob: string; admin: string };
    /** Stack mode: every user this run makes is named `<prefix>...`, and deleted at the end. */
    testUserPrefix?: string;
  }
}
