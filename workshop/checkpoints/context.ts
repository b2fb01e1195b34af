import type { LocalCloudState } from '#local/cloud/state-file.ts';
import { LOCAL_CREDENTIALS } from '#local/core/aws-account.ts';
import { idTokenFor } from '#local/seed/sign-in.ts';

/**
 * What a checkpoint (workshop/checkpoints/NN.ts) gets: the running local cloud and ways to look
 * at it as a learner would, through the API and the AWS APIs. A checkpoint exports
 *
 *   export default async function checkpoint(cloud: CheckpointContext): Promise<CheckpointResult>
 *
 * and says whether the learner's system is in the state its module leaves it in: `ok` with a
 * one-line summary, or not `ok` with a one-line reason a learner can act on.
 */
export type CheckpointResult = { ok: true; summary: string } | { ok: false; reason: string };

export type Checkpoint = (cloud: CheckpointContext) => Promise<CheckpointResult>;

/** `fetch`, with a path relative to the API (`/orders`) and JSON bodies as objects. */
export type ApiFetch = (path: string, init?: ApiRequestInit) => Promise<Response>;
export type ApiRequestInit = Omit<RequestInit, 'body'> & { body?: unknown };

/** What every AWS SDK v3 client of the local cloud is built with. */
export interface LocalClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

export interface CheckpointContext {
  /** The running cloud as its state file describes it: endpoints, table names, queues, topics, state machines, user pool and client, users, password, catalog. */
  readonly cloud: LocalCloudState;
  /** The orders table (the template's OrdersTable). */
  readonly table: string;
  /** The API without a token. */
  readonly api: ApiFetch;
  /** The API as a seeded user: `alice`, `bob`, `admin`, or a full email, signed in with the seeded password. */
  signedIn(user: string): Promise<ApiFetch>;
  /** An AWS SDK v3 client for the local endpoint of its service: `cloud.client(DynamoDBClient)`. */
  client<C>(Client: new (config: LocalClientConfig) => C): C;
}

/** The local endpoint of each SDK client, by the client's class name. */
const ENDPOINTS: Record<string, (state: LocalCloudState) => string> = {
  DynamoDBClient: (state) => state.dynamoDbEndpoint,
  DynamoDBStreamsClient: (state) => state.dynamoDbEndpoint,
  SQSClient: (state) => state.sqsEndpoint,
  SNSClient: (state) => state.snsEndpoint,
  SFNClient: (state) => state.sfnEndpoint,
  CognitoIdentityProviderClient: (state) => state.cognitoEndpoint,
  CodeDeployClient: (state) => state.codeDeployEndpoint,
  CloudFormationClient: (state) => state.cloudFormationEndpoint,
  // Lambda's Invoke API is served by the control endpoint.
  LambdaClient: (state) => state.controlUrl,
};

/** A context for `state`; `close()` destroys the SDK clients it made. */
export function createCheckpointContext(state: LocalCloudState): CheckpointContext & { close(): void } {
  const clients: Array<{ destroy?: () => void }> = [];
  const tokens = new Map<string, Promise<string>>();
  const apiBase = state.apiUrl.replace(/\/+$/, '');

  const fetchWith =
    (token: string | undefined): ApiFetch =>
    (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (token !== undefined) headers.set('authorization', token);
      const { body, ...rest } = init;
      const json = body !== undefined && typeof body !== 'string';
      if (json) headers.set('content-type', 'application/json');
      return fetch(`${apiBase}${path}`, {
        ...rest,
        headers,
        ...(body === undefined ? {} : { body: json ? JSON.stringify(body) : (body as string) }),
        signal: init.signal ?? AbortSignal.timeout(10_000),
      });
    };

  return {
    cloud: state,
    table: state.tableNames.OrdersTable ?? Object.values(state.tableNames)[0] ?? '',
    api: fetchWith(undefined),
    async signedIn(user) {
      const email = user.includes('@') ? user : (state.users.find((candidate) => candidate.startsWith(`${user}@`)) ?? `${user}@example.com`);
      let token = tokens.get(email);
      if (token === undefined) {
        token = idTokenFor(state.cognitoEndpoint, state.clientId, email, state.password, state.region);
        tokens.set(email, token);
      }
      return fetchWith(await token);
    },
    client<C>(Client: new (config: LocalClientConfig) => C): C {
      const endpoint = ENDPOINTS[Client.name];
      if (endpoint === undefined) throw new Error(`The local cloud serves no endpoint for ${Client.name} (it serves ${Object.keys(ENDPOINTS).join(', ')})`);
      const client = new Client({ endpoint: endpoint(state), region: state.region, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 1 });
      clients.push(client as { destroy?: () => void });
      return client;
    },
    close() {
      for (const client of clients) client.destroy?.();
    },
  };
}

/** Thrown when a checkpoint reaches for the local cloud and none runs: its message is the reason to print. */
export class LocalCloudUnavailable extends Error {}

/**
 * The context when no local cloud runs: a checkpoint that needs none (modules 7–9 look at a
 * deployed stack) runs all the same; one that touches the context stops with `reason`.
 */
export function unavailableContext(reason: string): CheckpointContext {
  return new Proxy({} as CheckpointContext, {
    get() {
      throw new LocalCloudUnavailable(reason);
    },
  });
}
