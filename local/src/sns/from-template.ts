import { InvalidFilterPolicyError, parseFilterPolicy } from '../core/filter-policy.ts';
import type { FilterPolicyScope, SqsSubscription } from './topic.ts';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { resourcesOfType } from '../template/load-template.ts';
import type { ResourceRegistry } from '../template/resource-registry.ts';
import { type CfnTemplate, isRecord, TemplateError } from '../template/template-types.ts';
import { optionalBoolean, optionalDocument, optionalString } from '../template/property-values.ts';

/** What subscriptions need to know of a queue of the template (the SQS service's definitions fit). */
export interface SubscribableQueue {
  logicalId: string;
  arn: string;
  url: string;
}

/** One `AWS::SNS::Topic` of the template. */
export interface TopicDefinition {
  logicalId: string;
  /** `TopicName` if the template sets one, else the logical id. */
  name: string;
  /** What `!Ref` gives, as in AWS. */
  arn: string;
}

/** One SQS subscription: an `AWS::SNS::Subscription`, or an entry of a topic's `Subscription` list. */
export interface SubscriptionDefinition {
  /** The subscription's logical id, or `<Topic>.Subscription[<index>]` for an inline one. */
  logicalId: string;
  topicLogicalId: string;
  queueLogicalId: string;
  /** Ready for `TopicRegistry.subscribe`; the filter policy has been validated. */
  subscription: SqsSubscription;
  /** `RedrivePolicy.deadLetterTargetArn`: where SNS puts messages it could not deliver. */
  deliveryDeadLetterQueueLogicalId?: string;
}

export interface SubscriptionReading {
  subscriptions: SubscriptionDefinition[];
  /** Subscriptions the local cloud does not deliver (protocols other than sqs), and why. */
  warnings: string[];
}

export const snsTopicArn = (naming: { accountId: string; region: string }, name: string) => `arn:aws:sns:${naming.region}:${naming.accountId}:${name}`;

/** Reads every active `AWS::SNS::Topic` and registers its local values (Ref = ARN, `TopicArn`, `TopicName`). */
export function readTopicDefinitions(
  template: CfnTemplate,
  resolver: IntrinsicResolver,
  registry: ResourceRegistry,
  naming: { accountId: string; region: string },
): TopicDefinition[] {
  return resourcesOfType(template, 'AWS::SNS::Topic')
    .filter(([logicalId]) => resolver.isActive(logicalId))
    .map(([logicalId, resource]) => {
      const raw = resource.Properties ?? {};
      const name = optionalString(logicalId, { TopicName: resolver.resolve(raw.TopicName) }, 'TopicName') ?? logicalId;
      const fifo = optionalBoolean(logicalId, { FifoTopic: resolver.resolve(raw.FifoTopic) }, 'FifoTopic');
      if (fifo === true || name.endsWith('.fifo')) throw new TemplateError(`${logicalId}: FIFO topics are not emulated by the local cloud`);
      const arn = snsTopicArn(naming, name);
      registry.register(logicalId, { ref: arn, attributes: { TopicArn: arn, TopicName: name } });
      return { logicalId, name, arn };
    });
}

/**
 * Reads the SQS subscriptions of the template's topics. Like SNS at Subscribe time, a filter
 * policy is validated now, so a policy SNS would refuse stops start-up with its reason.
 * Call after queues and topics are registered: `Endpoint`/`TopicArn` resolve to them.
 */
export function readSubscriptionDefinitions(
  template: CfnTemplate,
  resolver: IntrinsicResolver,
  topics: TopicDefinition[],
  queues: SubscribableQueue[],
): SubscriptionReading {
  const warnings: string[] = [];
  const subscriptions: SubscriptionDefinition[] = [];
  const topicByArn = new Map(topics.map((topic) => [topic.arn, topic]));
  const queueByArn = new Map(queues.map((queue) => [queue.arn, queue]));

  const read = (logicalId: string, properties: Record<string, unknown>, topicArn: unknown) => {
    const protocol = optionalString(logicalId, properties, 'Protocol');
    const topic = typeof topicArn === 'string' ? topicByArn.get(topicArn) : undefined;
    if (topic === undefined) throw new TemplateError(`${logicalId}: TopicArn ${JSON.stringify(topicArn)} is not a topic of this template`);
    if (protocol !== 'sqs') {
      warnings.push(`${logicalId}: ${protocol ?? 'no'} protocol subscriptions are not emulated; ${topic.logicalId} does not deliver to it`);
      return;
    }
    const endpoint = optionalString(logicalId, properties, 'Endpoint');
    const queue = endpoint === undefined ? undefined : queueByArn.get(endpoint);
    if (queue === undefined) throw new TemplateError(`${logicalId}: Endpoint ${JSON.stringify(endpoint)} is not a queue ARN of this template`);

    const scope = optionalString(logicalId, properties, 'FilterPolicyScope') ?? 'MessageAttributes';
    const filterPolicy = properties.FilterPolicy;
    if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
      throw new TemplateError(`${logicalId}: FilterPolicyScope must be MessageAttributes or MessageBody, got ${scope}`);
    }
    if (filterPolicy !== undefined) {
      if (typeof filterPolicy !== 'string' && !isRecord(filterPolicy)) {
        throw new TemplateError(`${logicalId}: FilterPolicy must be a JSON object, got ${JSON.stringify(filterPolicy)}`);
      }
      try {
        parseFilterPolicy(filterPolicy, scope);
      } catch (error) {
        if (error instanceof InvalidFilterPolicyError) throw new TemplateError(`${logicalId}: invalid FilterPolicy: ${error.message}`);
        throw error;
      }
    }
    const definition: SubscriptionDefinition = {
      logicalId,
      topicLogicalId: topic.logicalId,
      queueLogicalId: queue.logicalId,
      subscription: {
        topicArn: topic.arn,
        queueArn: queue.arn,
        ...(filterPolicy !== undefined && { filterPolicy: filterPolicy as Record<string, unknown> | string, filterPolicyScope: scope as FilterPolicyScope }),
        rawMessageDelivery: optionalBoolean(logicalId, properties, 'RawMessageDelivery') ?? false,
      },
    };
    const redrive = optionalDocument(logicalId, properties, 'RedrivePolicy');
    if (redrive !== undefined) {
      const target = optionalString(logicalId, redrive, 'deadLetterTargetArn');
      const deadLetterQueue = target === undefined ? undefined : queueByArn.get(target);
      if (deadLetterQueue === undefined) {
        throw new TemplateError(`${logicalId}: RedrivePolicy.deadLetterTargetArn ${JSON.stringify(target)} is not a queue of this template`);
      }
      definition.deliveryDeadLetterQueueLogicalId = deadLetterQueue.logicalId;
    }
    subscriptions.push(definition);
  };

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SNS::Subscription')) {
    if (!resolver.isActive(logicalId)) continue;
    const properties = resolver.resolve(resource.Properties ?? {}) as Record<string, unknown>;
    read(logicalId, properties, properties.TopicArn);
  }
  for (const topic of topics) {
    const inline = resolver.resolve(template.Resources[topic.logicalId]?.Properties?.Subscription ?? []);
    if (!Array.isArray(inline)) throw new TemplateError(`${topic.logicalId}: Subscription must be a list`);
    inline.forEach((entry, index) => {
      const logicalId = `${topic.logicalId}.Subscription[${index}]`;
      if (!isRecord(entry)) throw new TemplateError(`${logicalId} must be an object with Protocol and Endpoint`);
      read(logicalId, entry, topic.arn);
    });
  }
  return { subscriptions, warnings };
}

/**
 * SNS can only deliver to a queue whose policy lets `sns.amazonaws.com` call `sqs:SendMessage`.
 * Locally nothing enforces it, so a missing policy would only show after a deployment: warn now.
 * The check is deliberately simple (an Allow statement naming the SNS service principal, or `*`,
 * and SendMessage); conditions such as `aws:SourceArn` are not evaluated.
 */
export function missingQueuePolicyWarnings(
  template: CfnTemplate,
  resolver: IntrinsicResolver,
  subscriptions: SubscriptionDefinition[],
  queues: SubscribableQueue[],
): string[] {
  const queueByUrl = new Map(queues.map((queue) => [queue.url, queue.logicalId]));
  const allowed = new Set<string>();
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::SQS::QueuePolicy')) {
    if (!resolver.isActive(logicalId)) continue;
    const properties = resolver.resolve(resource.Properties ?? {}) as Record<string, unknown>;
    const document = isRecord(properties.PolicyDocument) ? properties.PolicyDocument : {};
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    if (!statements.some(allowsSnsSendMessage)) continue;
    for (const url of Array.isArray(properties.Queues) ? properties.Queues : []) {
      const queueLogicalId = queueByUrl.get(String(url));
      if (queueLogicalId !== undefined) allowed.add(queueLogicalId);
    }
  }
  return subscriptions
    .filter((subscription) => !allowed.has(subscription.queueLogicalId))
    .map(
      (subscription) =>
        `${subscription.logicalId} delivers to ${subscription.queueLogicalId}, but no AWS::SQS::QueuePolicy lets sns.amazonaws.com ` +
        'sqs:SendMessage to it: in AWS, SNS could not deliver there (the local cloud delivers anyway)',
    );
}

function allowsSnsSendMessage(statement: unknown): boolean {
  if (!isRecord(statement) || statement.Effect !== 'Allow') return false;
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  const principal = statement.Principal;
  const principalOk =
    principal === '*' ||
    (isRecord(principal) && (principal.AWS === '*' || list(principal.Service).includes('sns.amazonaws.com')));
  const actionOk = list(statement.Action).some((action) => action === 'sqs:SendMessage' || action === 'sqs:*' || action === '*');
  return principalOk && actionOk;
}
