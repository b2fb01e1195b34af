import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.ts';
import { AwsError } from '../core/aws-error.ts';
import type { MessageSink, SinkMessage } from '../core/message-sink.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../core/aws-account.ts';
import { notificationEnvelope } from './envelope.ts';
import {
  messageForProtocol,
  publishSize,
  snsErrors,
  SnsError,
  validateBatchIds,
  validatePublish,
  MAX_PUBLISH_BYTES,
  type PublishInput,
  type SnsMessageAttributes,
} from './topic-validation.ts';

/**
 * SNS standard topics with SQS subscriptions: Publish fans a message out to every subscribed
 * queue whose filter policy matches, wrapped in the SNS envelope unless raw delivery is on.
 */

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export interface SqsSubscription {
  topicArn: string;
  queueArn: string;
  /** As in template.yaml (an object) or the API (a JSON string); evaluated by the matcher. */
  filterPolicy?: Record<string, unknown> | string;
  /** Default `MessageAttributes`, as in SNS. */
  filterPolicyScope?: FilterPolicyScope;
  rawMessageDelivery?: boolean;
}

export interface Subscription extends SqsSubscription {
  subscriptionArn: string;
}

/**
 * What a filter policy is evaluated against: the message this subscription would get and the
 * published attributes (same shape as filter-policy.ts's FilterableMessage).
 */
export interface FilterableMessage {
  body: string;
  attributes: SnsMessageAttributes;
}

/** Decides whether a subscription with a filter policy receives a message. */
export type SubscriptionMatcher = (subscription: Subscription, message: FilterableMessage) => boolean;

export interface Delivery {
  subscriptionArn: string;
  queueArn: string;
  status: 'delivered' | 'filtered-out' | 'failed';
  /** The SQS message ID, when delivered. */
  sqsMessageId?: string;
  /** Why delivery failed; SNS would retry and then drop the message (or use a DLQ). */
  reason?: string;
}

export interface PublishResult {
  messageId: string;
  deliveries: Delivery[];
}

export interface PublishBatchEntry extends PublishInput {
  id: string;
}

export interface PublishBatchResult {
  successful: Array<{ id: string; messageId: string }>;
  failed: Array<{ id: string; code: string; message: string; senderFault: boolean }>;
}

export interface TopicRegistryOptions {
  /** Finds a subscribed queue by its ARN; the SQS service's queues are message sinks. */
  resolveQueue: (arn: string) => MessageSink | undefined;
  /** The filter-policy matcher; only consulted for subscriptions that have a policy. */
  matcher: SubscriptionMatcher;
  accountId?: string;
  region?: string;
  clock?: Clock;
  /** Reported with each delivery that could not be made, e.g. to log it. */
  onDeliveryFailure?: (delivery: Delivery) => void;
  /**
   * Whether SNS may send to the subscribed queue (its queue policy decides, see iam/); why not,
   * or undefined when it may. Unset: every delivery is allowed.
   */
  deliveryRefusal?: (topicArn: string, queueArn: string) => string | undefined;
}

// The SenderId SNS deliveries carry in SQS: SNS's own principal, not the publisher's.
const SNS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

export class Topic {
  readonly subscriptions: Subscription[] = [];

  constructor(
    readonly name: string,
    readonly arn: string,
  ) {}
}

export class TopicRegistry {
  readonly accountId: string;
  readonly region: string;
  private readonly topics = new Map<string, Topic>();
  private readonly options: TopicRegistryOptions;
  private readonly clock: Clock;

  constructor(options: TopicRegistryOptions) {
    this.options = options;
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    this.region = options.region ?? LOCAL_REGION;
    this.clock = options.clock ?? systemClock;
  }

  create(name: string): Topic {
    if (name.endsWith('.fifo')) throw new Error(`FIFO topics are not emulated locally: ${name}`);
    if (!TOPIC_NAME.test(name)) throw snsErrors.invalidParameter('Topic Name');
    const arn = `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
    if (this.topics.has(arn)) throw new Error(`Topic ${name} already exists`);
    const topic = new Topic(name, arn);
    this.topics.set(arn, topic);
    return topic;
  }

  get(arn: string): Topic | undefined {
    return this.topics.get(arn);
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  /** Subscribes a queue. The queue is looked up at delivery time, so it may come later. */
  subscribe(subscription: SqsSubscription): Subscription {
    const topic = this.require(subscription.topicArn);
    const created: Subscription = { ...subscription, subscriptionArn: `${topic.arn}:${randomUUID()}` };
    topic.subscriptions.push(created);
    return created;
  }

  publish(topicArn: string, input: PublishInput): PublishResult {
    const topic = this.require(topicArn);
    validatePublish(input);
    return this.deliver(topic, input);
  }

  /**
   * PublishBatch: the batch as a whole must be well formed; then each entry succeeds or fails
   * on its own, like SNS.
   */
  publishBatch(topicArn: string, entries: PublishBatchEntry[]): PublishBatchResult {
    const topic = this.require(topicArn);
    validateBatchIds(entries.map((entry) => entry.id));
    if (entries.reduce((size, entry) => size + publishSize(entry), 0) > MAX_PUBLISH_BYTES) {
      throw snsErrors.batchTooLong();
    }
    const result: PublishBatchResult = { successful: [], failed: [] };
    for (const entry of entries) {
      try {
        validatePublish(entry);
        result.successful.push({ id: entry.id, messageId: this.deliver(topic, entry).messageId });
      } catch (error) {
        if (!(error instanceof SnsError)) throw error;
        result.failed.push({ id: entry.id, code: error.code, message: error.message, senderFault: error.senderFault });
      }
    }
    return result;
  }

  private require(topicArn: string): Topic {
    const topic = this.topics.get(topicArn);
    if (!topic) throw snsErrors.topicNotFound();
    return topic;
  }

  private deliver(topic: Topic, input: PublishInput): PublishResult {
    const messageId = randomUUID();
    const timestamp = new Date(this.clock.now());
    const messageAttributes = input.messageAttributes ?? {};
    const message = messageForProtocol(input, 'sqs');
    const deliveries = topic.subscriptions.map((subscription) => {
      const base = { subscriptionArn: subscription.subscriptionArn, queueArn: subscription.queueArn };
      if (subscription.filterPolicy !== undefined) {
        let matches: boolean;
        try {
          matches = this.options.matcher(subscription, { body: message, attributes: messageAttributes });
        } catch (error) {
          // A policy SNS would have refused at Subscribe time: this subscription gets nothing.
          const reason = `the filter policy could not be evaluated: ${error instanceof Error ? error.message : String(error)}`;
          return this.failed({ ...base, status: 'failed', reason });
        }
        if (!matches) return { ...base, status: 'filtered-out' as const };
      }
      const queue = this.options.resolveQueue(subscription.queueArn);
      if (!queue) return this.failed({ ...base, status: 'failed', reason: 'the queue does not exist' });
      const refusal = this.options.deliveryRefusal?.(topic.arn, subscription.queueArn);
      if (refusal !== undefined) return this.failed({ ...base, status: 'failed', reason: refusal });
      try {
        const sent = subscription.rawMessageDelivery
          ? queue.send({
              body: message,
              messageAttributes: toSqsAttributes(messageAttributes),
              senderId: SNS_SENDER_ID,
            })
          : queue.send({
              body: notificationEnvelope({
                messageId,
                topicArn: topic.arn,
                subscriptionArn: subscription.subscriptionArn,
                message,
                subject: input.subject,
                timestamp,
                messageAttributes,
                serviceUrl: `https://sns.${this.region}.amazonaws.com`,
              }),
              senderId: SNS_SENDER_ID,
            });
        return { ...base, status: 'delivered' as const, sqsMessageId: sent.messageId };
      } catch (error) {
        // SQS refused it (e.g. more than 10 attributes with raw delivery): SNS cannot deliver.
        if (!(error instanceof AwsError)) throw error;
        return this.failed({ ...base, status: 'failed', reason: error.message });
      }
    });
    return { messageId, deliveries };
  }

  private failed(delivery: Delivery): Delivery {
    this.options.onDeliveryFailure?.(delivery);
    return delivery;
  }
}

/** Raw delivery turns SNS message attributes into SQS message attributes one for one. */
function toSqsAttributes(attributes: SnsMessageAttributes): SinkMessage['messageAttributes'] {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue !== undefined && { StringValue: value.StringValue }),
        ...(value.BinaryValue !== undefined && { BinaryValue: value.BinaryValue }),
      },
    ]),
  );
}
