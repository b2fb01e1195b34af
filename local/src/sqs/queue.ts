import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.ts';
import type { MessageSink } from '../core/message-sink.ts';
import { sqsErrors } from './errors.ts';
import {
  md5Hex,
  md5OfMessageAttributes,
  validateMessage,
  type MessageAttributes,
} from './message.ts';

/**
 * One SQS standard queue, in memory. Pure logic: no I/O, time from an injected Clock.
 *
 * Message states follow SQS: a message is *delayed* until its delay ends, then *visible*; a
 * receive makes it *in flight* for the visibility timeout, after which it is visible again
 * unless it was deleted. Nothing runs in the background: states are derived from timestamps
 * whenever the queue is touched, and a timer exists only while a long poll is waiting.
 */

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** Queue attributes, in seconds/bytes as in CloudFormation and the SQS API. */
export interface QueueSettings {
  visibilityTimeout: number;
  delaySeconds: number;
  messageRetentionPeriod: number;
  maximumMessageSize: number;
  receiveMessageWaitTimeSeconds: number;
  redrivePolicy?: RedrivePolicy;
}

export const DEFAULT_QUEUE_SETTINGS: Readonly<QueueSettings> = {
  visibilityTimeout: 30,
  delaySeconds: 0,
  messageRetentionPeriod: 345_600,
  maximumMessageSize: 262_144,
  receiveMessageWaitTimeSeconds: 0,
};

const MAX_VISIBILITY_TIMEOUT = 43_200;
const MAX_DELAY_SECONDS = 900;
const MAX_WAIT_TIME_SECONDS = 20;
const MAX_MESSAGES_PER_RECEIVE = 10;

export interface QueueOptions {
  name: string;
  accountId: string;
  region: string;
  settings?: Partial<QueueSettings>;
  clock?: Clock;
  /** Finds the dead-letter queue named by the redrive policy (normally the registry). */
  resolveQueue?: (arn: string) => Queue | undefined;
}

export interface SendMessageInput {
  body: string;
  messageAttributes?: MessageAttributes;
  /** Overrides the queue's DelaySeconds for this message (0–900). */
  delaySeconds?: number;
  /** Who sent it, reported back as the SenderId system attribute. */
  senderId?: string;
  awsTraceHeader?: string;
}

export interface SendMessageResult {
  messageId: string;
  md5OfMessageBody: string;
  md5OfMessageAttributes?: string;
}

export interface ReceiveMessageInput {
  maxNumberOfMessages?: number;
  visibilityTimeout?: number;
  /** Long-poll duration; defaults to the queue's ReceiveMessageWaitTimeSeconds. */
  waitTimeSeconds?: number;
  /** Ends a long poll early with no messages (server shutdown, poller stop). */
  signal?: AbortSignal;
}

/** System attributes of a received message, as strings exactly like SQS returns them. */
export interface MessageSystemAttributes {
  ApproximateReceiveCount: string;
  ApproximateFirstReceiveTimestamp: string;
  SentTimestamp: string;
  SenderId: string;
  AWSTraceHeader?: string;
  DeadLetterQueueSourceArn?: string;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  messageAttributes: MessageAttributes;
  md5OfMessageAttributes?: string;
  attributes: MessageSystemAttributes;
}

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** What survives a move between queues (a DLQ redrive re-sends these as new messages). */
export interface MessageContent {
  body: string;
  messageAttributes: MessageAttributes;
  senderId: string;
  awsTraceHeader?: string;
  deadLetterQueueSourceArn?: string;
}

interface StoredMessage extends MessageContent {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  /** The enqueue time; retention counts from it, also after a move to the DLQ. */
  sentTimestamp: number;
  visibleAt: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** Identifies the latest receive: only the newest receipt handle can delete the message. */
  receiptToken?: string;
  receivedAt?: number;
}

interface Waiter {
  max: number;
  visibilityTimeout: number;
  finish(messages: ReceivedMessage[]): void;
}

export class Queue implements MessageSink {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly arn: string;
  readonly settings: Readonly<QueueSettings>;
  readonly createdTimestamp: number;

  private readonly clock: Clock;
  private readonly resolveQueue: (arn: string) => Queue | undefined;
  // Insertion order doubles as delivery order: oldest first, like SQS does approximately.
  private readonly messages = new Map<string, StoredMessage>();
  private readonly waiters = new Set<Waiter>();
  private cancelWake: (() => void) | undefined;

  constructor(options: QueueOptions) {
    this.name = options.name;
    this.accountId = options.accountId;
    this.region = options.region;
    this.arn = `arn:aws:sqs:${options.region}:${options.accountId}:${options.name}`;
    this.settings = validateSettings({ ...DEFAULT_QUEUE_SETTINGS, ...options.settings });
    this.clock = options.clock ?? systemClock;
    this.resolveQueue = options.resolveQueue ?? (() => undefined);
    this.createdTimestamp = this.clock.now();
  }

  send(input: SendMessageInput): SendMessageResult {
    const attributes = input.messageAttributes ?? {};
    validateMessage(input.body, attributes, this.settings.maximumMessageSize);
    const delaySeconds = input.delaySeconds ?? this.settings.delaySeconds;
    assertRange('DelaySeconds', delaySeconds, 0, MAX_DELAY_SECONDS);
    const now = this.clock.now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5Hex(input.body),
      messageAttributes: attributes,
      md5OfMessageAttributes: md5OfMessageAttributes(attributes),
      senderId: input.senderId ?? this.accountId,
      awsTraceHeader: input.awsTraceHeader,
      sentTimestamp: now,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
    };
    this.messages.set(message.messageId, message);
    this.wakeWaiters();
    return {
      messageId: message.messageId,
      md5OfMessageBody: message.md5OfBody,
      ...(message.md5OfMessageAttributes && { md5OfMessageAttributes: message.md5OfMessageAttributes }),
    };
  }

  /**
   * ReceiveMessage. Returns at once when messages are visible or no wait was asked for;
   * otherwise resolves as soon as one becomes visible, or with [] when the wait ends.
   */
  async receive(input: ReceiveMessageInput = {}): Promise<ReceivedMessage[]> {
    const max = input.maxNumberOfMessages ?? 1;
    const visibilityTimeout = input.visibilityTimeout ?? this.settings.visibilityTimeout;
    const waitTimeSeconds = input.waitTimeSeconds ?? this.settings.receiveMessageWaitTimeSeconds;
    assertRange('MaxNumberOfMessages', max, 1, MAX_MESSAGES_PER_RECEIVE);
    assertRange('VisibilityTimeout', visibilityTimeout, 0, MAX_VISIBILITY_TIMEOUT);
    assertRange('WaitTimeSeconds', waitTimeSeconds, 0, MAX_WAIT_TIME_SECONDS);

    const immediate = this.receiveNow(max, visibilityTimeout);
    if (immediate.length > 0 || waitTimeSeconds === 0 || input.signal?.aborted) return immediate;

    return new Promise((resolve) => {
      const signal = input.signal;
      const onAbort = () => waiter.finish([]);
      const cancelDeadline = this.clock.schedule(waitTimeSeconds * 1000, () =>
        // A message that turns visible exactly at the deadline still counts.
        waiter.finish(this.receiveNow(max, visibilityTimeout)),
      );
      const waiter: Waiter = {
        max,
        visibilityTimeout,
        finish: (messages) => {
          if (!this.waiters.delete(waiter)) return;
          cancelDeadline();
          signal?.removeEventListener('abort', onAbort);
          resolve(messages);
          this.scheduleWake();
        },
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.scheduleWake();
    });
  }

  /**
   * DeleteMessage. A receipt handle from an earlier receive of a message that has since been
   * received again is accepted but deletes nothing: the SQS documentation promises only that
   * such a request "will succeed, but the message might not be deleted", and failing to delete
   * is the case that exposes consumers which outlive their visibility timeout.
   * Returns whether a message was actually deleted.
   */
  delete(receiptHandle: string): boolean {
    const ref = this.decodeReceiptHandle(receiptHandle);
    this.dropExpired();
    const message = this.messages.get(ref.messageId);
    if (!message || message.receiptToken !== ref.token) return false;
    this.messages.delete(ref.messageId);
    return true;
  }

  /**
   * ChangeMessageVisibility: the new timeout counts from now. Like SQS, it applies to this
   * receive only; the next receive uses the queue's (or the request's) timeout again.
   */
  changeVisibility(receiptHandle: string, visibilityTimeout: number): void {
    assertRange('VisibilityTimeout', visibilityTimeout, 0, MAX_VISIBILITY_TIMEOUT);
    const ref = this.decodeReceiptHandle(receiptHandle);
    this.dropExpired();
    const now = this.clock.now();
    const message = this.messages.get(ref.messageId);
    if (!message || message.receiptToken !== ref.token) {
      throw sqsErrors.invalidParameterValue(
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
    if (message.visibleAt <= now) throw sqsErrors.messageNotInflight();
    const inFlightSeconds = (now - (message.receivedAt ?? now)) / 1000;
    if (inFlightSeconds + visibilityTimeout > MAX_VISIBILITY_TIMEOUT) {
      throw sqsErrors.invalidParameterValue(
        `Value ${visibilityTimeout} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_TIMEOUT} seconds]`,
      );
    }
    message.visibleAt = now + visibilityTimeout * 1000;
    this.wakeWaiters();
  }

  /** PurgeQueue: every message goes, in flight or not. */
  purge(): void {
    this.messages.clear();
    this.scheduleWake();
  }

  depth(): QueueDepth {
    this.dropExpired();
    const now = this.clock.now();
    const depth: QueueDepth = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of this.messages.values()) {
      if (message.visibleAt <= now) depth.visible++;
      else if (message.receiveCount === 0) depth.delayed++;
      else depth.inFlight++;
    }
    return depth;
  }

  /** GetQueueAttributes (All), values as strings the way SQS returns them. */
  attributes(): Record<string, string> {
    const depth = this.depth();
    const settings = this.settings;
    return {
      QueueArn: this.arn,
      ApproximateNumberOfMessages: String(depth.visible),
      ApproximateNumberOfMessagesNotVisible: String(depth.inFlight),
      ApproximateNumberOfMessagesDelayed: String(depth.delayed),
      CreatedTimestamp: String(Math.floor(this.createdTimestamp / 1000)),
      LastModifiedTimestamp: String(Math.floor(this.createdTimestamp / 1000)),
      VisibilityTimeout: String(settings.visibilityTimeout),
      MaximumMessageSize: String(settings.maximumMessageSize),
      MessageRetentionPeriod: String(settings.messageRetentionPeriod),
      DelaySeconds: String(settings.delaySeconds),
      ReceiveMessageWaitTimeSeconds: String(settings.receiveMessageWaitTimeSeconds),
      ...(settings.redrivePolicy && { RedrivePolicy: JSON.stringify(settings.redrivePolicy) }),
    };
  }

  /**
   * Removes and returns the visible messages that `accept` takes (in-flight ones stay):
   * the input of a DLQ redrive.
   */
  takeVisibleMessages(accept: (message: MessageContent) => boolean = () => true): MessageContent[] {
    this.dropExpired();
    const now = this.clock.now();
    const taken: MessageContent[] = [];
    for (const message of this.messages.values()) {
      if (message.visibleAt > now) continue;
      const content = contentOf(message);
      if (!accept(content)) continue;
      this.messages.delete(message.messageId);
      taken.push(content);
    }
    return taken;
  }

  /** Ends every pending long poll with no messages; used when the endpoint shuts down. */
  cancelWaits(): void {
    for (const waiter of [...this.waiters]) waiter.finish([]);
  }

  private receiveNow(max: number, visibilityTimeout: number): ReceivedMessage[] {
    this.dropExpired();
    const now = this.clock.now();
    const received: ReceivedMessage[] = [];
    for (const message of this.messages.values()) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (this.moveToDeadLetterQueue(message)) continue;
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
      message.receiptToken = randomUUID();
      message.receivedAt = now;
      message.visibleAt = now + visibilityTimeout * 1000;
      received.push(this.toReceived(message));
    }
    return received;
  }

  /**
   * SQS moves a message to the DLQ when a receive would take it for the
   * (maxReceiveCount + 1)th time, not when the last allowed receive fails.
   */
  private moveToDeadLetterQueue(message: StoredMessage): boolean {
    const policy = this.settings.redrivePolicy;
    if (!policy || message.receiveCount < policy.maxReceiveCount) return false;
    const deadLetterQueue = this.resolveQueue(policy.deadLetterTargetArn);
    // With the DLQ missing the message stays put rather than being lost.
    if (!deadLetterQueue || deadLetterQueue === this) return false;
    this.messages.delete(message.messageId);
    deadLetterQueue.acceptDeadLetter(message, this.arn);
    return true;
  }

  /**
   * Standard queues keep the message ID, the enqueue timestamp (so the DLQ's retention period
   * counts from the original send) and, here, the receive count, which keeps growing.
   */
  private acceptDeadLetter(message: StoredMessage, sourceArn: string): void {
    this.messages.set(message.messageId, {
      ...message,
      deadLetterQueueSourceArn: sourceArn,
      visibleAt: this.clock.now(),
      receiptToken: undefined,
      receivedAt: undefined,
    });
    this.wakeWaiters();
  }

  private toReceived(message: StoredMessage): ReceivedMessage {
    return {
      messageId: message.messageId,
      receiptHandle: this.encodeReceiptHandle(message),
      body: message.body,
      md5OfBody: message.md5OfBody,
      messageAttributes: message.messageAttributes,
      ...(message.md5OfMessageAttributes && { md5OfMessageAttributes: message.md5OfMessageAttributes }),
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp),
        SentTimestamp: String(message.sentTimestamp),
        SenderId: message.senderId,
        ...(message.awsTraceHeader && { AWSTraceHeader: message.awsTraceHeader }),
        ...(message.deadLetterQueueSourceArn && {
          DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
        }),
      },
    };
  }

  // Opaque to callers, but carries the queue so a handle used against another queue is
  // rejected, and the receive token so stale handles can be told apart from current ones.
  private encodeReceiptHandle(message: StoredMessage): string {
    const raw = [this.arn, message.messageId, message.receiptToken].join('\n');
    return Buffer.from(raw, 'utf8').toString('base64url');
  }

  private decodeReceiptHandle(receiptHandle: string): { messageId: string; token: string } {
    const parts = Buffer.from(receiptHandle, 'base64url').toString('utf8').split('\n');
    const [arn, messageId, token] = parts;
    if (parts.length !== 3 || arn !== this.arn || !messageId || !token) {
      throw sqsErrors.receiptHandleIsInvalid(receiptHandle);
    }
    return { messageId, token };
  }

  private dropExpired(): void {
    const cutoff = this.clock.now() - this.settings.messageRetentionPeriod * 1000;
    for (const message of this.messages.values()) {
      if (message.sentTimestamp <= cutoff) this.messages.delete(message.messageId);
    }
  }

  /** Hands newly visible messages to waiting long polls, oldest poll first. */
  private wakeWaiters(): void {
    for (const waiter of [...this.waiters]) {
      const messages = this.receiveNow(waiter.max, waiter.visibilityTimeout);
      if (messages.length === 0) break;
      waiter.finish(messages);
    }
    this.scheduleWake();
  }

  /** While someone waits, keep one timer at the next instant a message turns visible. */
  private scheduleWake(): void {
    this.cancelWake?.();
    this.cancelWake = undefined;
    if (this.waiters.size === 0) return;
    const now = this.clock.now();
    let next = Infinity;
    for (const message of this.messages.values()) {
      if (message.visibleAt > now && message.visibleAt < next) next = message.visibleAt;
    }
    if (next === Infinity) return;
    this.cancelWake = this.clock.schedule(next - now, () => {
      this.cancelWake = undefined;
      this.wakeWaiters();
    });
  }
}

function contentOf(message: StoredMessage): MessageContent {
  return {
    body: message.body,
    messageAttributes: message.messageAttributes,
    senderId: message.senderId,
    ...(message.awsTraceHeader && { awsTraceHeader: message.awsTraceHeader }),
    ...(message.deadLetterQueueSourceArn && {
      deadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
    }),
  };
}

function assertRange(parameter: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw sqsErrors.invalidParameterValue(
      `Value ${value} for parameter ${parameter} is invalid. Reason: Must be between ${min} and ${max}, if provided.`,
    );
  }
}

function validateSettings(settings: QueueSettings): QueueSettings {
  assertRange('VisibilityTimeout', settings.visibilityTimeout, 0, MAX_VISIBILITY_TIMEOUT);
  assertRange('DelaySeconds', settings.delaySeconds, 0, MAX_DELAY_SECONDS);
  assertRange('MessageRetentionPeriod', settings.messageRetentionPeriod, 60, 1_209_600);
  assertRange('MaximumMessageSize', settings.maximumMessageSize, 1024, 1_048_576);
  assertRange('ReceiveMessageWaitTimeSeconds', settings.receiveMessageWaitTimeSeconds, 0, 20);
  if (settings.redrivePolicy) {
    assertRange('maxReceiveCount', settings.redrivePolicy.maxReceiveCount, 1, 1000);
  }
  return settings;
}
