/**
 * The API client: openapi-fetch typed by schema.d.ts (generated from docs/openapi.json), with
 * the signed-in user's ID token in `Authorization` (the API's Cognito authorizer takes the ID
 * token), safe requests retried (./retry.ts), and every failure turned into an ApiError.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { Session } from '../auth/session.ts';
import { ApiError, networkProblem, toProblem } from './problem.ts';
import { retryingFetch } from './retry.ts';
import type { paths } from './schema';

export type ApiClient = Client<paths>;

export interface Api {
  client: ApiClient;
  /** The data of a successful answer, or an ApiError; a 401 also signs the user out first. */
  call<D>(request: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D>;
}

export function createApi(apiUrl: string, session: Session, onUnauthorized: () => void, fetchFn: typeof fetch = fetch): Api {
  const client = createClient<paths>({ baseUrl: apiUrl, fetch: retryingFetch((request) => fetchFn(request)) });
  client.use({
    async onRequest({ request }) {
      const idToken = await session.idToken();
      if (idToken !== undefined) request.headers.set('Authorization', idToken);
      return request;
    },
  });

  async function call<D>(request: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
    let result: { data?: D; error?: unknown; response: Response };
    try {
      result = await request;
    } catch (error) {
      // fetch rejects with a TypeError when no answer arrives (offline, DNS, CORS refusal).
      if (error instanceof TypeError) throw new ApiError(0, networkProblem());
      throw error;
    }
    const { data, error, response } = result;
    if (response.ok && data !== undefined) return data;
    if (response.status === 401) onUnauthorized();
    throw new ApiError(response.status, toProblem(response.status, error));
  }

  return { client, call };
}
