/**
 * What the event source mappings did, batch by batch: which messages or stream records each
 * invocation got and which of them failed. A local-cloud test facility (Lambda has nothing like
 * it; CloudWatch metrics come closest): a test can prove that a message was processed exactly
 * once, or that only the failed message of a batch was retried. Bounded, oldest entries first out.
 */

export interface EventSourceBatch {
  /** Increasing from 1 over the life of the local cloud. */
  sequence: number;
  at: string;
  functionLogicalId: string;
  /** `sqs` or `dynamodb`. */
  source: 'sqs' | 'dynamodb';
  /** The queue's or the table's logical id. */
  sourceLogicalId: string;
  /** SQS message ids, or stream sequence numbers, in the order the function got them. */
  itemIds: string[];
  /** The items that failed (returned to the queue, or left for the stream to retry). */
  failedItemIds: string[];
  outcome: 'success' | 'partial' | 'failure';
  /** The function's error, when the invocation itself failed. */
  error?: string;
}

const DEFAULT_CAPACITY = 5_000;

export class EventSourceJournal {
  private readonly entries: EventSourceBatch[] = [];
  private sequence = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  record(batch: Omit<EventSourceBatch, 'sequence' | 'at'>): EventSourceBatch {
    this.sequence += 1;
    const entry = { sequence: this.sequence, at: new Date().toISOString(), ...batch };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return entry;
  }

  /** Oldest first; optionally only one function's batches, or those after a sequence number. */
  list(filter: { functionLogicalId?: string; after?: number } = {}): EventSourceBatch[] {
    return this.entries.filter(
      (entry) =>
        (filter.functionLogicalId === undefined || entry.functionLogicalId === filter.functionLogicalId) &&
        (filter.after === undefined || entry.sequence > filter.after),
    );
  }
}
