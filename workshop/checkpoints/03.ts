import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { CheckpointContext, CheckpointResult } from './context.ts';

/** How long a queue may take to drain what is still on its way (a saga's last events) before it counts as stuck. */
const DRAIN_WAIT_MS = 15_000;

interface Notification {
  eventId: string;
  eventType: string;
}

/**
 * Module 3 leaves the events flowing and nothing behind: no fault set, the event source
 * mappings running, every dead-letter queue empty, every queue drained, and bob's latest order
 * told once per event (the one whose notifications were broken, redriven and redelivered).
 */
export default async function checkpoint(cloud: CheckpointContext): Promise<CheckpointResult> {
  const page = 'workshop/03-events.md';
  const control = `${cloud.cloud.controlUrl.replace(/\/+$/, '')}/__local`;

  const { faults } = (await (await fetch(`${control}/faults`, { signal: AbortSignal.timeout(5_000) })).json()) as { faults: Array<{ functionLogicalId: string }> };
  if (faults.length > 0) {
    return { ok: false, reason: `a fault is still set on ${faults.map((fault) => fault.functionLogicalId).join(', ')}: clear it with curl -X DELETE "$CONTROL/faults" (${page}, "Fix it, redrive, and count")` };
  }
  const { paused } = (await (await fetch(`${control}/event-sources`, { signal: AbortSignal.timeout(5_000) })).json()) as { paused: boolean };
  if (paused) return { ok: false, reason: 'the event source mappings are paused, so nothing reacts to a change: curl -X POST "$CONTROL/event-sources/resume"' };

  const sqs = cloud.client(SQSClient);
  const depth = async (url: string) => {
    const { Attributes: attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
    );
    return Number(attributes.ApproximateNumberOfMessages ?? 0) + Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0);
  };
  const queues = Object.values(cloud.cloud.queues);
  for (const queue of queues.filter((candidate) => candidate.deadLetterFor.length > 0)) {
    const messages = await depth(queue.url);
    if (messages > 0) {
      const cure = queue.deadLetterFor.some((source) => source.kind === 'queue') ? `npm run queues -- redrive ${queue.logicalId}` : 'see docs/operations.md for this DLQ';
      return { ok: false, reason: `${queue.logicalId} holds ${messages} message(s): ${cure}` };
    }
  }
  const deadline = Date.now() + DRAIN_WAIT_MS;
  for (const queue of queues.filter((candidate) => candidate.deadLetterFor.length === 0)) {
    let messages = await depth(queue.url);
    while (messages > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      messages = await depth(queue.url);
    }
    if (messages > 0) return { ok: false, reason: `${queue.logicalId} still holds ${messages} message(s) after ${DRAIN_WAIT_MS / 1000} s: is its consumer failing? npm run queues` };
  }

  const bob = await cloud.signedIn('bob');
  const { items: [latest] = [] } = (await (await bob('/orders?limit=1')).json()) as { items?: Array<{ orderId: string }> };
  if (latest === undefined) return { ok: false, reason: `bob has no order yet: run ${page}, "Break a consumer"` };
  const { items: notifications } = (await (await bob(`/orders/${latest.orderId}/notifications`)).json()) as { items: Notification[] };
  if (!notifications.some((notification) => notification.eventType === 'OrderPlaced')) {
    return { ok: false, reason: `bob's latest order ${latest.orderId} has no "received" notification: was its DLQ redriven? npm run queues` };
  }
  const events = new Set(notifications.map((notification) => notification.eventId));
  if (events.size !== notifications.length) {
    return { ok: false, reason: `bob's latest order ${latest.orderId} has ${notifications.length} notifications for ${events.size} events: one was doubled` };
  }

  return { ok: true, summary: `no fault set, every queue drained, every DLQ empty; bob's latest order has one notification per event (${events.size}).` };
}
