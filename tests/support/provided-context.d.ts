import type { SeededProduct } from '../../local/src/seed/seed-catalog.ts';
import type { SeedUser } from '../../local/src/seed/seed-files.ts';

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
  }
}
