import type { CheckpointContext, CheckpointResult } from './context.ts';

/**
 * Module 1 leaves alice with at least one order (placed with an Idempotency-Key), and the API
 * refusing as the module showed: 401 from the authorizer without a token, 403 from the handler
 * to a customer on an admin route.
 */
export default async function checkpoint(cloud: CheckpointContext): Promise<CheckpointResult> {
  const alice = await cloud.signedIn('alice').catch((error: Error) => error);
  if (alice instanceof Error) return { ok: false, reason: `alice@example.com cannot sign in: ${alice.message}` };

  const orders = await alice('/orders?limit=100');
  if (orders.status !== 200) return { ok: false, reason: `GET /orders as alice answered ${orders.status}, not 200` };
  const { items = [], nextCursor } = (await orders.json()) as { items?: unknown[]; nextCursor?: string };
  if (items.length === 0) return { ok: false, reason: 'alice has no order yet: place one with POST /orders and an Idempotency-Key (the "Idempotency" steps)' };

  const anonymous = await cloud.api('/orders');
  if (anonymous.status !== 401) return { ok: false, reason: `GET /orders without a token answered ${anonymous.status}, not 401: is the Cognito authorizer on the route?` };
  const admin = await alice('/admin/orders?status=PENDING');
  if (admin.status !== 403) return { ok: false, reason: `GET /admin/orders as alice answered ${admin.status}, not 403: the admin rule is not enforced` };

  const count = nextCursor === undefined ? `${items.length}` : `${items.length}+`;
  return { ok: true, summary: `alice has ${count} order(s); the API answers 401 without a token and 403 to a customer on an admin route.` };
}
