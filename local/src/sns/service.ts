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
    });
  },
};
