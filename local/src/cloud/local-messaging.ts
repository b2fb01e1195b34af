import type { Clock } from '../core/clock.ts';
import type { TopicDefinition } from '../sns/from-template.ts';
import { type ProvisionedSubscription, type RunningSns, startLocalSns } from '../sns/service.ts';
import type { QueueRegistry } from '../sqs/registry.ts';
import { type ProvisionedQueue, type RunningSqs, startLocalSqs } from '../sqs/service.ts';
import type { TopicRegistry } from '../sns/topic.ts';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import type { ResourceRegistry } from '../template/resource-registry.ts';
import type { CfnTemplate } from '../template/template-types.ts';

export type { ProvisionedQueue } from '../sqs/service.ts';
export type { ProvisionedSubscription } from '../sns/service.ts';

export interface LocalMessagingOptions {
  template: CfnTemplate;
  resolver: IntrinsicResolver;
  /** Receives every queue's and topic's local values, before function definitions are read. */
  registry: ResourceRegistry;
  /** 0 picks a free port. */
  ports: { sqs: number; sns: number };
  /** See core/time-scale.ts; 1 runs the queues exactly as the template says. */
  timeScale: number;
  onWarning: (message: string) => void;
}

/**
 * The local SQS and SNS services seen together: what the event source mappings, the queue
 * summary (`npm run queues`) and the tests read.
 */
export interface LocalMessaging {
  sqsEndpoint: string;
  snsEndpoint: string;
  queues: ProvisionedQueue[];
  topics: TopicDefinition[];
  subscriptions: ProvisionedSubscription[];
  queueRegistry: QueueRegistry;
  topicRegistry: TopicRegistry;
  /** The queues' clock (scaled by the time scale); pollers of these queues must use it too. */
  clock: Clock;
  stop(): Promise<void>;
}

export function messagingView(sqs: RunningSqs, sns: RunningSns): LocalMessaging {
  return {
    sqsEndpoint: sqs.endpoint,
    snsEndpoint: sns.endpoint,
    queues: sqs.queues,
    topics: sns.topics,
    subscriptions: sns.subscriptions,
    queueRegistry: sqs.queueRegistry,
    topicRegistry: sns.topicRegistry,
    clock: sqs.clock,
    stop: async () => {
      await sns.stop();
      await sqs.stop();
    },
  };
}

/**
 * Starts the SQS and SNS services alone (as start-up does, without the rest of the cloud) with
 * every queue, topic and sqs-protocol subscription of the template.
 */
export async function startLocalMessaging(options: LocalMessagingOptions): Promise<LocalMessaging> {
  const { template, resolver, registry } = options;
  const sqs = await startLocalSqs({ template, resolver, registry, port: options.ports.sqs, timeScale: options.timeScale });
  try {
    const sns = await startLocalSns({
      template,
      resolver,
      registry,
      queues: sqs.queues,
      messageSink: sqs.messageSink,
      port: options.ports.sns,
      onWarning: options.onWarning,
    });
    return messagingView(sqs, sns);
  } catch (error) {
    await sqs.stop();
    throw error;
  }
}
