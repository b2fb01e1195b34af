import { systemClock, type Clock } from '../core/clock.ts';
import { sqsErrors } from './errors.ts';
import { Queue, type QueueSettings } from './queue.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../core/aws-account.ts';

/** The account and region the local cloud pretends to be. */

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export interface QueueRegistryOptions {
  accountId?: string;
  region?: string;
  clock?: Clock;
}

/**
 * Every queue of the local cloud, found by name, ARN or URL. Queues resolve their DLQs
 * through it, so a redrive policy may name a queue created later.
 */
export class QueueRegistry {
  readonly accountId: string;
  readonly region: string;
  private readonly clock: Clock;
  private readonly queues = new Map<string, Queue>();

  constructor(options: QueueRegistryOptions = {}) {
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    this.region = options.region ?? LOCAL_REGION;
    this.clock = options.clock ?? systemClock;
  }

  create(name: string, settings: Partial<QueueSettings> = {}): Queue {
    if (name.endsWith('.fifo')) {
      throw sqsErrors.unsupportedOperation(`FIFO queues are not emulated locally: ${name}`);
    }
    if (!QUEUE_NAME.test(name)) {
      throw sqsErrors.invalidParameterValue(
        `Value ${name} for parameter QueueName is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length`,
      );
    }
    if (this.queues.has(name)) {
      throw sqsErrors.invalidParameterValue(`A queue named ${name} already exists.`);
    }
    const queue = new Queue({
      name,
      accountId: this.accountId,
      region: this.region,
      settings,
      clock: this.clock,
      resolveQueue: (arn) => this.getByArn(arn),
    });
    this.queues.set(name, queue);
    return queue;
  }

  getByName(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  getByArn(arn: string): Queue | undefined {
    const [prefix, partition, service, region, accountId, name] = arn.split(':');
    if (prefix !== 'arn' || partition !== 'aws' || service !== 'sqs') return undefined;
    if (region !== this.region || accountId !== this.accountId || !name) return undefined;
    return this.queues.get(name);
  }

  /** Any host is accepted: only `/<account>/<name>` identifies the queue. */
  getByUrl(url: string): Queue | undefined {
    const parsed = parseQueueUrl(url);
    if (!parsed || parsed.accountId !== this.accountId) return undefined;
    return this.queues.get(parsed.name);
  }

  /** A queue by name, ARN or URL: whichever form a template or a caller has at hand. */
  resolve(ref: string): Queue | undefined {
    if (ref.startsWith('arn:')) return this.getByArn(ref);
    if (/^https?:\/\//.test(ref)) return this.getByUrl(ref);
    return this.getByName(ref);
  }

  /** Like `resolve`, but fails the way SQS does for a queue that does not exist. */
  require(ref: string | undefined): Queue {
    if (!ref) throw sqsErrors.missingParameter('QueueUrl');
    const queue = this.resolve(ref);
    if (!queue) throw sqsErrors.queueDoesNotExist();
    return queue;
  }

  list(namePrefix = ''): Queue[] {
    return [...this.queues.values()].filter((queue) => queue.name.startsWith(namePrefix));
  }

  /** Queues whose redrive policy targets `queue`: non-empty exactly when it is a DLQ. */
  deadLetterSourcesOf(queue: Queue): Queue[] {
    return this.list().filter(
      (source) => source.settings.redrivePolicy?.deadLetterTargetArn === queue.arn,
    );
  }

  /** Ends every pending long poll, so an endpoint can close without hanging requests. */
  cancelWaits(): void {
    for (const queue of this.queues.values()) queue.cancelWaits();
  }
}

/** The queue URL clients should use against an endpoint such as `http://127.0.0.1:4566`. */
export function queueUrl(endpoint: string, queue: Queue): string {
  return `${endpoint.replace(/\/+$/, '')}/${queue.accountId}/${queue.name}`;
}

export function parseQueueUrl(url: string): { accountId: string; name: string } | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const match = /^\/(\d{12})\/([^/]+)\/?$/.exec(pathname);
  if (!match) return undefined;
  return { accountId: match[1]!, name: match[2]! };
}
