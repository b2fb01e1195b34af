/**
 * `npm run demo`: one order through every path of the fulfilment saga, printed as it happens.
 * Uses the running `npm start` if there is one (from .local-cloud/state.json), otherwise starts
 * its own local cloud on free ports (queue and saga time 20× faster) and stops it at the end.
 *
 * Paths: shipped, out of stock (rejected), card declined, payment retried after transient
 * failures, cancelled while waiting for shipment.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalCloud, startLocalCloudOnFreePorts } from '../cloud/local-cloud.ts';
import { bold, dim, fileLog } from '../cloud/local-cloud-log.ts';
import { LOCAL_CLOUD_DIRECTORY, readState, REPOSITORY_ROOT } from '../cloud/state-file.ts';
import { idTokenFor } from '../seed/sign-in.ts';

const PASSWORD = 'Passw0rd!Local';
const address = { name: 'Alice Example', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const TERMINAL = new Set(['SHIPPED', 'REJECTED', 'PAYMENT_FAILED', 'CANCELLED']);
const DEADLINE_MS = 60_000;

interface Endpoints {
  apiUrl: string;
  cognitoEndpoint: string;
  clientId: string;
  region: string;
}

async function runningCloud(): Promise<Endpoints | undefined> {
  const state = await readState();
  if (state === undefined) return undefined;
  try {
    await fetch(`${state.apiUrl}/products?limit=1`, { signal: AbortSignal.timeout(1000) });
    return state;
  } catch {
    return undefined;
  }
}

async function ownCloud(): Promise<{ endpoints: Endpoints; cloud: LocalCloud }> {
  const log = await fileLog(join(LOCAL_CLOUD_DIRECTORY, 'logs', 'demo.log'));
  const cloud = await startLocalCloudOnFreePorts({
    templatePath: join(REPOSITORY_ROOT, 'template.yaml'),
    cognitoDataDirectory: await mkdtemp(join(tmpdir(), 'demo-cognito-')),
    log,
    timeScale: 0.05,
  });
  return { cloud, endpoints: { apiUrl: cloud.apiUrl, cognitoEndpoint: cloud.cognitoEndpoint, clientId: cloud.clientId, region: cloud.region } };
}

function client(endpoints: Endpoints, token: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${endpoints.apiUrl}${path}`, {
      method,
      headers: { Authorization: token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json().catch(() => undefined)) as any;
    if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status}: ${json?.detail ?? ''}`);
    return json;
  };
}

const started = Date.now();
const clock = () => dim(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s`);

async function main(): Promise<void> {
  const existing = await runningCloud();
  const own = existing === undefined ? await ownCloud() : undefined;
  const endpoints = existing ?? own!.endpoints;
  console.log(bold(`Demo against ${endpoints.apiUrl}`) + dim(existing ? ' (your running npm start)' : ' (its own local cloud, time ×20)'));
  try {
    const [aliceToken, adminToken] = await Promise.all(
      ['alice@example.com', 'admin@example.com'].map((email) => idTokenFor(endpoints.cognitoEndpoint, endpoints.clientId, email, PASSWORD, endpoints.region)),
    );
    const alice = client(endpoints, aliceToken!);
    const admin = client(endpoints, adminToken!);

    const product = await admin('POST', '/products', { name: `Demo Kettle ${new Date().toISOString().slice(11, 19)}`, price: 4900 });
    await admin('PUT', `/products/${product.productId}/stock`, { stock: 3 });
    console.log(`${clock()}  admin created ${bold(product.name)} with 3 in stock\n`);

    const scenarios: Array<{ title: string; quantity: number; paymentMethod?: string; then?: 'ship' | 'cancel' }> = [
      { title: 'Shipped', quantity: 1, then: 'ship' },
      { title: 'Out of stock', quantity: 5 },
      { title: 'Card declined', quantity: 1, paymentMethod: 'tok_decline' },
      { title: 'Payment retried after transient failures', quantity: 1, paymentMethod: 'tok_transient', then: 'ship' },
      { title: 'Cancelled while waiting for shipment', quantity: 1, then: 'cancel' },
    ];
    for (const scenario of scenarios) {
      console.log(bold(`▶ ${scenario.title}`));
      const order = await alice(
        'POST',
        '/orders',
        { items: [{ productId: product.productId, quantity: scenario.quantity }], shippingAddress: address, ...(scenario.paymentMethod ? { paymentMethod: scenario.paymentMethod } : {}) },
        { 'Idempotency-Key': crypto.randomUUID() },
      );
      console.log(`${clock()}  POST /orders → ${order.orderId.slice(0, 8)}… ${order.status}, total $${(order.total / 100).toFixed(2)}`);
      await follow(alice, admin, order.orderId, scenario.then);
      console.log('');
    }
    const final = await admin('GET', `/products/${product.productId}`);
    console.log(`${clock()}  ${product.name}: ${final.stock} left in stock (3 − 2 shipped; every other unit was released)`);
  } finally {
    await own?.cloud.stop();
  }
}

/** Prints each status and notification as it appears, acting (ship or cancel) once the order is CONFIRMED. */
async function follow(alice: ReturnType<typeof client>, admin: ReturnType<typeof client>, orderId: string, then?: 'ship' | 'cancel'): Promise<void> {
  const seenNotifications = new Set<string>();
  let lastStatus = 'PENDING';
  let acted = false;
  const deadline = Date.now() + DEADLINE_MS;
  while (Date.now() < deadline) {
    const order = await alice('GET', `/orders/${orderId}`);
    if (order.status !== lastStatus) {
      console.log(`${clock()}  status ${lastStatus} → ${bold(order.status)}${order.statusReason ? dim(` (${order.statusReason})`) : ''}`);
      lastStatus = order.status;
    }
    for (const notification of (await alice('GET', `/orders/${orderId}/notifications`)).items) {
      if (seenNotifications.has(notification.eventId)) continue;
      seenNotifications.add(notification.eventId);
      console.log(`${clock()}  ${dim(`event ${notification.eventType} → notification:`)} ${notification.message}`);
    }
    if (order.status === 'CONFIRMED' && then !== undefined && !acted) {
      acted = await act(alice, admin, orderId, then);
    }
    const expectsMore = order.status === 'CONFIRMED' ? then !== undefined : !TERMINAL.has(order.status);
    if (!expectsMore && seenNotifications.size > 0 && notificationsSettled(order.status, seenNotifications.size)) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  console.log(dim(`  (still ${lastStatus} after ${DEADLINE_MS / 1000} s)`));
}

/** PENDING, then one notification per later status. */
const notificationsSettled = (status: string, count: number) => count >= (status === 'PENDING' ? 1 : status === 'CONFIRMED' ? 2 : status === 'SHIPPED' || status === 'CANCELLED' ? 3 : 2);

async function act(alice: ReturnType<typeof client>, admin: ReturnType<typeof client>, orderId: string, then: 'ship' | 'cancel'): Promise<boolean> {
  try {
    if (then === 'ship') {
      await admin('POST', `/admin/orders/${orderId}/ship`, { trackingNumber: '1Z999AA10123456784' });
      console.log(`${clock()}  admin: POST /admin/orders/…/ship (tracking 1Z999AA10123456784)`);
    } else {
      await alice('POST', `/orders/${orderId}/cancel`);
      console.log(`${clock()}  alice: POST /orders/…/cancel`);
    }
    return true;
  } catch (error) {
    // The saga may not have parked its task token yet (409): try again on the next poll.
    if (String(error).includes('409')) return false;
    throw error;
  }
}

await main().catch((error: unknown) => {
  console.error(`Demo failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
