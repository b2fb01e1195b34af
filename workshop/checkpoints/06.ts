import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readFunctionLogFile } from '#local/cloud/function-log-file.ts';
import { trailOf } from '#local/cloud/order-trail.ts';
import type { CheckpointContext, CheckpointResult } from './context.ts';

/**
 * Module 6 leaves the learner able to follow an order and with nothing to be alarmed about: the
 * cloud keeps its function logs, the newest order that has gone through the saga can be followed
 * by its correlation id from the API through the consumers and the saga's steps (the same lines
 * `npm run trail` prints), and every dead-letter queue is empty, so no DLQ alarm would fire.
 */

/** The functions an order's correlation id must reach: the request, the saga's start, a consumer. */
const ALONG_THE_WAY = ['PlaceOrderFunction', 'StartFulfilmentFunction', 'NotifyCustomerFunction'];

export default async function checkpoint(cloud: CheckpointContext): Promise<CheckpointResult> {
  const logFile = cloud.cloud.functionLogFile;
  if (logFile === undefined) return { ok: false, reason: 'this local cloud keeps no function log file: restart it with npm start (npm run trail needs it)' };
  const entries = await readFunctionLogFile(logFile).catch(() => undefined);
  if (entries === undefined) return { ok: false, reason: `the function log file ${logFile} cannot be read: restart npm start` };

  const placed = trailOf(entries, 'Order placed').filter((entry) => entry.functionLogicalId === 'PlaceOrderFunction' && entry.correlationId !== undefined);
  if (placed.length === 0) return { ok: false, reason: 'no order was placed on this cloud yet: place one (the first steps of this module)' };
  const followed = placed
    .reverse()
    .map((entry) => ({ entry, functions: new Set(trailOf(entries, entry.correlationId!).map((line) => line.functionLogicalId)) }))
    .find(({ functions }) => ALONG_THE_WAY.every((name) => functions.has(name)));
  if (followed === undefined) {
    const newest = placed[0]!;
    return { ok: false, reason: `order ${newest.orderId}'s correlation id ${newest.correlationId} reaches no consumer yet: wait for the saga (npm run trail -- ${newest.correlationId})` };
  }

  const sqs = cloud.client(SQSClient);
  const deadLetters: string[] = [];
  for (const queue of Object.values(cloud.cloud.queues).filter((candidate) => candidate.deadLetterFor.length > 0)) {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    const depth = Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    if (depth > 0) deadLetters.push(`${queue.logicalId} (${depth})`);
  }
  if (deadLetters.length > 0) {
    return { ok: false, reason: `${deadLetters.join(', ')} hold messages, so their alarms would fire: docs/operations.md says what to do (npm run queues -- redrive <DLQ>)` };
  }

  const { entry, functions } = followed;
  return {
    ok: true,
    summary: `order ${entry.orderId?.slice(0, 8)}… can be followed by its correlation id through ${functions.size} functions, and every dead-letter queue is empty (no DLQ alarm would fire).`,
  };
}
