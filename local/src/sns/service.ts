import type { EmulatedService, RunningService, ServiceContext } from '../cloud/emulated-service.ts';
import type { MessageSink } from '../core/message-sink.ts';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import type { ResourceRegistry } from '../template/resource-registry.ts';
import type { CfnTemplate } from '../template/template-types.ts';
import {
  missingQueuePolicyWarnings,
  readSubscriptionDefinitions,
  readTopicDefinitions,
  type SubscribableQueue,
  type SubscriptionDefinition,
  type TopicDefinition,
} from './from-template.ts';
import { SnsServer } from './sns-server.ts';
import { createFilterPolicyMatcher } from './topic-filter-policy.ts';
import { TopicRegistry } from './topic.ts';
import type { LocalIam } from '../iam/local-iam.ts';

export interface ProvisionedSubscription extends SubscriptionDefinition {
  subscriptionArn: string;
}

/** The local SNS service with the template's topics and sqs-protocol subscriptions. */
export interface RunningSns extends RunningService {
  endpoint: string;
  topics: TopicDefinition[];
  subscriptions: ProvisionedSubscription[];
  topicRegistry: TopicRegistry;
}

export interface StartLocalSnsOptions {
  template: CfnTemplate;
  resolver: IntrinsicResolver;
  registry: ResourceRegistry;
  /** The template's queues, which subscriptions name. */
  queues: SubscribableQueue[];
  /** Delivers to a subscribed queue (the SQS service's queues). */
  messageSink: (queueArn: string) => MessageSink | undefined;
  /** 0 picks a free port. */
  port: number;
  onWarning: (message: string) => void;
  /** See TopicRegistryOptions.deliveryRefusal. */
  deliveryRefusal?: (topicArn: string, queueArn: string) => string | undefined;
}

/**
 * Starts the SNS endpoint and creates every `AWS::SNS::Topic` and sqs-protocol subscription of
 * the template in it. A filter policy SNS would refuse fails here, naming the resource.
 */
export async function startLocalSns(options: StartLocalSnsOptions): Promise<RunningSns> {
  const { template, resolver, registry } = options;
  const { accountId, region } = resolver.pseudo;
  let subscriptions: ProvisionedSubscription[] = [];
  const topicRegistry = new TopicRegistry({
    accountId,
    region,
    resolveQueue: options.messageSink,
    matcher: createFilterPolicyMatcher(),
    ...(options.deliveryRefusal !== undefined && { deliveryRefusal: options.deliveryRefusal }),
    onDeliveryFailure: (delivery) => {
      const subscription = subscriptions.find((candidate) => candidate.subscriptionArn === delivery.subscriptionArn);
      const deadLetter = subscription?.deliveryDeadLetterQueueLogicalId;
      options.onWarning(
        `SNS could not deliver to ${subscription?.queueLogicalId ?? delivery.queueArn}: ${delivery.reason ?? 'unknown reason'}` +
          (deadLetter === undefined ? '' : ` (in AWS, after its retries it would go to ${deadLetter}; locally it is dropped)`),
      );
    },
  });
  const server = new SnsServer({ topics: topicRegistry, port: options.port });
  const stop = () => server.stop();
  try {
    const endpoint = await server.start();
    const topics = readTopicDefinitions(template, resolver, registry, { accountId, region });
    const reading = readSubscriptionDefinitions(template, resolver, topics, options.queues);
    for (const warning of [...reading.warnings, ...missingQueuePolicyWarnings(template, resolver, reading.subscriptions, options.queues)]) {
      options.onWarning(warning);
    }
    for (const topic of topics) topicRegistry.create(topic.name);
    subscriptions = reading.subscriptions.map((definition) => {
      const { subscriptionArn } = topicRegistry.subscribe(definition.subscription);
      if (!definition.logicalId.includes('.')) registry.register(definition.logicalId, { ref: subscriptionArn });
      return { ...definition, subscriptionArn };
    });
    return { endpoint, topics, subscriptions, topicRegistry, functionEndpoints: { SNS: endpoint }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export const snsService: EmulatedService<'sns', RunningSns> = {
  name: 'sns',
  port: { option: 'sns', purpose: 'local SNS', envVariable: 'LOCAL_SNS_PORT' },
  start: (context: ServiceContext) => {
    const sqs = context.get('sqs');
    return startLocalSns({
      template: context.template.template,
      resolver: context.resolver,
      registry: context.registry,
      queues: sqs.queues,
      messageSink: sqs.messageSink,
      port: context.options.ports.sns ?? 0,
      onWarning: (message) => context.log.warn(message),
      // The queue policy decides whether SNS may deliver (iam/resource-policies.ts). IAM starts
      // later (after DynamoDB), so it is asked at delivery time; nothing publishes before start-up ends.
      deliveryRefusal: (topicArn, queueArn) => queuePolicyRefusal(context.get('iam').iam, topicArn, queueArn, (message) => context.log.warn(message)),
    });
  },
};

/**
 * Why the queue's policy does not let SNS deliver the topic's messages to it, or undefined when
 * it does. With LOCAL_IAM=off the delivery goes ahead and the refusal is only reported to `warn`.
 */
export function queuePolicyRefusal(iam: LocalIam, topicArn: string, queueArn: string, warn: (message: string) => void): string | undefined {
  const decision = iam.snsMayDeliverToQueue(topicArn, queueArn);
  if (decision.allowed) return undefined;
  const why = decision.explicit ? `denies it (${decision.by.policy})` : 'does not allow sns.amazonaws.com sqs:SendMessage from this topic (aws:SourceArn)';
  const reason = `IAM: the queue policy of ${queueArn} ${why}, so SNS cannot deliver messages of ${topicArn}`;
  if (iam.enforce) return reason;
  warn(`${reason} (LOCAL_IAM=off: delivered anyway)`);
  return undefined;
}
