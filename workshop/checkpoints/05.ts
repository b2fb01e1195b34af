import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { ApiFetch, CheckpointContext, CheckpointResult } from './context.ts';

/**
 * Module 5 leaves the learner's loyalty feature working on their cloud: `GET /loyalty` answers a
 * customer, a confirmed order earns its points (one per whole unit of currency) through the new
 * consumer, and the same event delivered again awards nothing more.
 *
 * The check places one real order as bob, so it changes bob's balance: run it as often as you
 * like, each run looks only at the points of its own order.
 */

interface LoyaltyAccount {
  balance: number;
  awards: Array<{ orderId: string; points: number; awardedAt: string }>;
}

/** Generous at time scale 1 on a busy laptop; each wait ends as soon as its answer is there. */
const CONFIRM_WITHIN_MS = 60_000;
const AWARD_WITHIN_MS = 30_000;
/** How long a second delivery gets to (wrongly) change the balance. */
const REDELIVERY_GRACE_MS = 3_000;

export default async function checkpoint(cloud: CheckpointContext): Promise<CheckpointResult> {
  const bob = await cloud.signedIn('bob');

  const first = await bob('/loyalty');
  if (first.status === 403 || first.status === 404) {
    return { ok: false, reason: `GET /loyalty answered ${first.status}: the route is not in the API yet (GetLoyaltyFunction's Api event in template.yaml; restart npm start, which reads routes at start-up)` };
  }
  if (first.status !== 200) return { ok: false, reason: `GET /loyalty as bob answered ${first.status}, not 200: ${await first.text()}` };
  const before = await accountOf(first);
  if (before === undefined) return { ok: false, reason: 'GET /loyalty must answer { "balance": <number>, "awards": [...] }' };

  const product = await productInStock(cloud);
  if (product === undefined) return { ok: false, reason: 'no product of at least 1.00 is in stock to order: restock one (module 2 shows how)' };
  const placed = await bob('/orders', {
    method: 'POST',
    headers: { 'Idempotency-Key': randomUUID() },
    body: { items: [{ productId: product.productId, quantity: 1 }], shippingAddress: { name: 'Bob', line1: '5 Loyal Rd', city: 'Springfield', postalCode: '12345', country: 'US' } },
  });
  if (placed.status !== 201) return { ok: false, reason: `placing an order as bob answered ${placed.status}: ${await placed.text()}` };
  const order = (await placed.json()) as { orderId: string; total: number; currency: string };
  const { orderId, total } = order;
  const points = Math.floor(total / 100);

  const status = await waitFor(async () => {
    const order = (await (await bob(`/orders/${orderId}`)).json()) as { status: string };
    return order.status === 'PENDING' ? undefined : order.status;
  }, CONFIRM_WITHIN_MS);
  if (status !== 'CONFIRMED') return { ok: false, reason: `order ${orderId} ended ${status ?? 'still PENDING'}, not CONFIRMED: see npm run executions -- ${orderId}` };

  const awarded = await waitFor(async () => {
    const account = await accountOf(await bob('/loyalty'));
    return account?.awards.some((award) => award.orderId === orderId) ? account : undefined;
  }, AWARD_WITHIN_MS);
  if (awarded === undefined) {
    return { ok: false, reason: `order ${orderId} is CONFIRMED but GET /loyalty shows no award for it: follow it with npm run trail -- ${orderId}, and look at your queue and DLQ with npm run queues` };
  }
  const award = awarded.awards.find((candidate) => candidate.orderId === orderId)!;
  if (award.points !== points) return { ok: false, reason: `order ${orderId} of ${total} cents earned ${award.points} points, not ${points} (one per whole dollar)` };
  if (awarded.balance < before.balance + points) {
    return { ok: false, reason: `the balance went from ${before.balance} to ${awarded.balance} for an award of ${points}: award and balance must change together` };
  }

  const redelivered = await redeliverConfirmation(cloud, bob, order);
  if (typeof redelivered === 'string') return { ok: false, reason: redelivered };
  await new Promise((resolve) => setTimeout(resolve, REDELIVERY_GRACE_MS));
  const after = await accountOf(await bob('/loyalty'));
  const again = after?.awards.filter((candidate) => candidate.orderId === orderId).length ?? 0;
  if (after === undefined || again !== 1 || after.balance !== awarded.balance) {
    return { ok: false, reason: `the same OrderStatusChanged event delivered again changed bob's points (balance ${awarded.balance} → ${after?.balance}, ${again} awards for order ${orderId}): key the award by the order and write it conditionally` };
  }
  return { ok: true, summary: `GET /loyalty answers, order ${orderId.slice(0, 8)}… earned ${points} points once (bob has ${after.balance}), and a redelivered event awarded nothing more.` };
}

async function accountOf(response: Response): Promise<LoyaltyAccount | undefined> {
  if (response.status !== 200) return undefined;
  const body = (await response.json()) as Partial<LoyaltyAccount>;
  return typeof body.balance === 'number' && Array.isArray(body.awards) ? (body as LoyaltyAccount) : undefined;
}

async function productInStock(cloud: CheckpointContext): Promise<{ productId: string } | undefined> {
  const { items } = (await (await cloud.api('/products?limit=50')).json()) as { items: Array<{ productId: string; price: number; stock: number }> };
  return items.find((product) => product.stock > 0 && product.price >= 100);
}

/**
 * Publishes the order's confirmation again, as the publisher did: the same event (its id and
 * time read from the customer's notification of it) with the same routing attributes. SNS and SQS
 * deliver at least once, so a consumer must expect exactly this.
 */
async function redeliverConfirmation(
  cloud: CheckpointContext,
  bob: ApiFetch,
  { orderId, total, currency }: { orderId: string; total: number; currency: string },
): Promise<true | string> {
  const notifications = (await (await bob(`/orders/${orderId}/notifications`)).json()) as { items?: Array<{ status: string; eventId: string; occurredAt: string; customerId: string }> };
  const confirmed = notifications.items?.find((notification) => notification.status === 'CONFIRMED');
  if (confirmed === undefined) return `order ${orderId} has no CONFIRMED notification to take the event from (is NotifyCustomerFunction working? npm run queues)`;
  const topicArn = cloud.cloud.topicArns.OrderEventsTopic;
  if (topicArn === undefined) return 'the template has no OrderEventsTopic';
  const event = {
    eventId: confirmed.eventId,
    type: 'OrderStatusChanged',
    version: 1,
    occurredAt: confirmed.occurredAt,
    correlationId: `checkpoint-05-${orderId}`,
    data: { orderId, customerId: confirmed.customerId, currency, total, from: 'PENDING', to: 'CONFIRMED' },
  };
  await cloud.client(SNSClient).send(
    new PublishCommand({
      TopicArn: topicArn,
      Message: JSON.stringify(event),
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'OrderStatusChanged' },
        eventVersion: { DataType: 'String', StringValue: '1' },
        status: { DataType: 'String', StringValue: 'CONFIRMED' },
      },
    }),
  );
  return true;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
