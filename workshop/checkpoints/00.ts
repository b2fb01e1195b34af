import type { CheckpointContext, CheckpointResult } from './context.ts';

/**
 * Module 0 leaves the local cloud running and reachable: the API answers with the seeded
 * catalog, a seeded customer signs in and reads their orders, and the web app is served.
 */
export default async function checkpoint(cloud: CheckpointContext): Promise<CheckpointResult> {
  const catalog = await cloud.api('/products');
  if (catalog.status !== 200) return { ok: false, reason: `GET /products answered ${catalog.status}, not 200: is the API up? (npm start prints its URL)` };
  const { items } = (await catalog.json()) as { items?: unknown[] };
  if (!Array.isArray(items) || items.length === 0) return { ok: false, reason: 'the catalog is empty: the seed did not run (restart npm start)' };

  const alice = await cloud.signedIn('alice').catch((error: Error) => error);
  if (alice instanceof Error) return { ok: false, reason: `alice@example.com cannot sign in: ${alice.message}` };
  const orders = await alice('/orders');
  if (orders.status !== 200) return { ok: false, reason: `GET /orders as alice answered ${orders.status}, not 200` };

  if (cloud.cloud.webUrl === undefined) return { ok: false, reason: 'the web app is not served: npm start says why in its banner (the Web line)' };
  const web = await fetch(cloud.cloud.webUrl, { signal: AbortSignal.timeout(5_000) }).catch((error: Error) => error);
  if (web instanceof Error || !web.ok) return { ok: false, reason: `the web app does not answer at ${cloud.cloud.webUrl}` };

  return { ok: true, summary: `the local cloud is running: the API serves the catalog, alice signs in, the web app answers.` };
}
