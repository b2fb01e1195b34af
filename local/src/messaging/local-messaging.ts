import type { Clock } from '../core/clock.ts';
import type { Queue } from '../sqs/queue.ts';
import { QueueRegistry } from '../sqs/registry.ts';
import { SqsServer } from '../sqs/sqs-server.ts';
import { SnsServer } from '../sns/sns-server.ts';
import { createFilterPolicyMatcher } from '../sns/topic-filter-policy.ts';
import { TopicRegistry } from '../sns/topic.ts';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import type { ResourceRegistry } from '../template/resource-registry.ts';
import { type CfnTemplate, TemplateError } from '../template/template-types.ts';
import { type QueueDefinition, readQueueDefinitions } from '../sqs/from-template.ts';
import { scaledClock } from '../core/time-scale.ts';
import {
  missingQueuePolicyWarnings,
  readSubscriptionDefinitions,
  readTopicDefinitions,
  type SubscriptionDefinition,
  type TopicDefinition,
} from '../sns/from-template.ts';

export interface LocalMessagingOptions {
  template: CfnTemplate;
  resolver: IntrinsicResolver;
  /** Receives every queue's and topic's local values, before function definitions are read. */
  registry: ResourceRegistry;
  /** 0 picks a free port. */
  ports: { sqs: number; sns: number };
  /** See time-scale.ts; 1 runs the queues exactly as the template says. */
  timeScale: number;
  onWarning: (message: string) => void;
}

export interface ProvisionedQueue extends QueueDefinition {
  queue: Queue;
}

export interface ProvisionedSubscription extends SubscriptionDefinition {
  subscriptionArn: string;
}

/** The local SQS and SNS services with the template's queues, topics and subscriptions. */
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

/**
 * Starts the SQS and SNS endpoints and creates every `AWS::SQS::Queue`, `AWS::SNS::Topic` and
 * sqs-protocol subscription of the template in them. Local values are registered as they are
 * known (a queue's Ref is its URL on the local endpoint), so call this before
 * `readFunctionDefinitions`. Anything SQS or SNS would refuse fails here, naming the resource.
 */
export async function startLocalMessaging(options: LocalMessagingOptions): Promise<LocalMessaging> {
  const { template, resolver, registry } = options;
  const { accountId, region } = resolver.pseudo;
  const clock = scaledClock(options.timeScale);
  const queueRegistry = new QueueRegistry({ accountId, region, clock });
  let subscriptions: ProvisionedSubscription[] = [];
  const topicRegistry = new TopicRegistry({
    accountId,
    region,
    resolveQueue: (arn) => queueRegistry.getByArn(arn),
    matcher: createFilterPolicyMatcher(),
    onDeliveryFailure: (delivery) => {
      const subscription = subscriptions.find((candidate) => candidate.subscriptionArn === delivery.subscriptionArn);
      const deadLetter = subscription?.deliveryDeadLetterQueueLogicalId;
      options.onWarning(
        `SNS could not deliver to ${subscription?.queueLogicalId ?? delivery.queueArn}: ${delivery.reason ?? 'unknown reason'}` +
          (deadLetter === undefined ? '' : ` (in AWS, after its retries it would go to ${deadLetter}; locally it is dropped)`),
      );
    },
  });

  const sqsServer = new SqsServer({ registry: queueRegistry, port: options.ports.sqs });
  const snsServer = new SnsServer({ topics: topicRegistry, port: options.ports.sns });
  const stop = async () => {
    queueRegistry.cancelWaits();
    await Promise.all([sqsServer.stop(), snsServer.stop()]);
  };
  try {
    const [sqsEndpoint, snsEndpoint] = await Promise.all([sqsServer.start(), snsServer.start()]);

    const queueDefinitions = readQueueDefinitions(template, resolver, registry, { endpoint: sqsEndpoint, accountId, region });
    const topics = readTopicDefinitions(template, resolver, registry, { accountId, region });
    const reading = readSubscriptionDefinitions(template, resolver, topics, queueDefinitions);
    for (const warning of [...reading.warnings, ...missingQueuePolicyWarnings(template, resolver, reading.subscriptions, queueDefinitions)]) {
      options.onWarning(warning);
    }

    const queues = queueDefinitions.map((definition) => ({ ...definition, queue: createQueue(queueRegistry, definition) }));
    for (const topic of topics) topicRegistry.create(topic.name);
    subscriptions = reading.subscriptions.map((definition) => {
      const { subscriptionArn } = topicRegistry.subscribe(definition.subscription);
      if (!definition.logicalId.includes('.')) registry.register(definition.logicalId, { ref: subscriptionArn });
      return { ...definition, subscriptionArn };
    });
    return { sqsEndpoint, snsEndpoint, queues, topics, subscriptions, queueRegistry, topicRegistry, clock, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function createQueue(queueRegistry: QueueRegistry, definition: QueueDefinition): Queue {
  try {
    return queueRegistry.create(definition.name, definition.settings);
  } catch (error) {
    // SQS's own wording ("Value 50000 for parameter VisibilityTimeout is invalid…"), with the resource named.
    throw new TemplateError(`${definition.logicalId}: ${(error as Error).message}`);
  }
}
