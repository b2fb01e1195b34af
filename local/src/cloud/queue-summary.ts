import type { EventSourceDefinition } from '../event-sources/from-template.ts';
import type { LocalMessaging } from './local-messaging.ts';

/** One queue as `npm run queues` and the integration tests see it (also in the state file). */
export interface QueueSummary {
  logicalId: string;
  name: string;
  /** On the local SQS endpoint. */
  url: string;
  arn: string;
  /** Its RedrivePolicy: where its messages go after maxReceiveCount receives. */
  deadLetterQueue?: { logicalId: string; maxReceiveCount: number };
  /** What sends dead letters here; empty for an ordinary queue. */
  deadLetterFor: DeadLetterSource[];
}

export type DeadLetterSource =
  /** A queue's RedrivePolicy: its messages can be redriven back (StartMessageMoveTask). */
  | { kind: 'queue'; logicalId: string }
  /** An SNS subscription's RedrivePolicy: messages SNS could not deliver. */
  | { kind: 'subscription'; logicalId: string }
  /** A stream mapping's on-failure destination: Lambda's records of batches it gave up on. */
  | { kind: 'on-failure'; logicalId: string };

export function summarizeQueues(
  messaging: Pick<LocalMessaging, 'queues' | 'subscriptions'>,
  eventSources: EventSourceDefinition[],
): QueueSummary[] {
  return messaging.queues.map((queue) => {
    const deadLetterFor: DeadLetterSource[] = [
      ...messaging.queues
        .filter((source) => source.deadLetterQueue?.logicalId === queue.logicalId)
        .map((source) => ({ kind: 'queue' as const, logicalId: source.logicalId })),
      ...messaging.subscriptions
        .filter((subscription) => subscription.deliveryDeadLetterQueueLogicalId === queue.logicalId)
        .map((subscription) => ({ kind: 'subscription' as const, logicalId: subscription.logicalId })),
      ...eventSources
        .filter((source) => source.kind === 'dynamodb' && source.settings.onFailureDestination === queue.arn)
        .map((source) => ({ kind: 'on-failure' as const, logicalId: source.functionLogicalId })),
    ];
    return {
      logicalId: queue.logicalId,
      name: queue.name,
      url: queue.url,
      arn: queue.arn,
      ...(queue.deadLetterQueue !== undefined && { deadLetterQueue: queue.deadLetterQueue }),
      deadLetterFor,
    };
  });
}
