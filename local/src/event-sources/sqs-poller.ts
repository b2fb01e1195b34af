import type { SQSEvent } from 'aws-lambda';
import type { PauseGate } from '../core/pause-gate.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { Queue, ReceivedMessage } from '../sqs/queue.ts';
import { interpretBatchResponse, toSqsEvent, type InvocationOutcome } from './sqs-lambda-event.ts';

/**
 * What Lambda's SQS event source mapping does, for one mapping: long-poll the queue, gather a
 * batch, invoke the function, delete what succeeded. Whatever failed is simply not deleted, so
 * SQS makes it visible again after the visibility timeout and the queue's redrive policy
 * decides when it goes to the DLQ, exactly as in AWS.
 */

export type FunctionResponseType = 'ReportBatchItemFailures';

export interface EventSourcePollerOptions {
  queue: Queue;
  /** Runs the function with the event; resolves with its return value, rejects if it failed. */
  invoke: (event: SQSEvent) => Promise<unknown>;
  /** 1–10000; default 10. Above 10 needs a batching window, as in Lambda. */
  batchSize?: number;
  /** 0–300 seconds; default 0 (invoke as soon as any message is there). */
  maximumBatchingWindowInSeconds?: number;
  functionResponseTypes?: readonly FunctionResponseType[];
  clock?: Clock;
  /** Called after each invocation, e.g. to log it. */
  onBatch?: (result: BatchResult) => void;
  /** Called when polling itself fails (the poller backs off and keeps going). */
  onError?: (error: unknown) => void;
  /** While paused, the poller reads nothing (the event source is paused for a measurement). */
  gate?: PauseGate;
}

export interface BatchResult {
  event: SQSEvent;
  outcome: InvocationOutcome;
  /** The function's error, when the invocation failed. */
  error?: unknown;
  deletedMessageIds: string[];
  /** Left in the queue: they reappear after the visibility timeout. */
  retainedMessageIds: string[];
}

const LONG_POLL_SECONDS = 20;
const MAX_MESSAGES_PER_RECEIVE = 10;
const POLL_ERROR_BACKOFF_MS = 1000;

export class EventSourcePoller {
  private readonly queue: Queue;
  private readonly invoke: (event: SQSEvent) => Promise<unknown>;
  private readonly batchSize: number;
  private readonly windowMs: number;
  private readonly reportBatchItemFailures: boolean;
  private readonly clock: Clock;
  private readonly onBatch: (result: BatchResult) => void;
  private readonly onError: (error: unknown) => void;
  private readonly gate: PauseGate | undefined;
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(options: EventSourcePollerOptions) {
    const batchSize = options.batchSize ?? 10;
    const window = options.maximumBatchingWindowInSeconds ?? 0;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new RangeError(`BatchSize must be between 1 and 10000, got ${batchSize}`);
    }
    if (!Number.isInteger(window) || window < 0 || window > 300) {
      throw new RangeError(`MaximumBatchingWindowInSeconds must be between 0 and 300, got ${window}`);
    }
    if (batchSize > MAX_MESSAGES_PER_RECEIVE && window < 1) {
      throw new RangeError('A BatchSize above 10 requires MaximumBatchingWindowInSeconds of at least 1');
    }
    this.queue = options.queue;
    this.invoke = options.invoke;
    this.batchSize = batchSize;
    this.windowMs = window * 1000;
    this.reportBatchItemFailures =
      options.functionResponseTypes?.includes('ReportBatchItemFailures') ?? false;
    this.clock = options.clock ?? systemClock;
    this.onBatch = options.onBatch ?? (() => {});
    this.onError = options.onError ?? (() => {});
    this.gate = options.gate;
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  start(): void {
    if (this.loop) return;
    const controller = new AbortController();
    this.controller = controller;
    this.loop = this.run(controller.signal);
  }

  /** Stops polling; waits for a running invocation to finish. Leaves no timers behind. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.controller = undefined;
    this.loop = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.gate?.whenOpen(signal);
      let batch: ReceivedMessage[];
      try {
        batch = await this.collectBatch(signal);
      } catch (error) {
        this.onError(error);
        await this.sleep(POLL_ERROR_BACKOFF_MS, signal);
        continue;
      }
      if (signal.aborted) {
        this.release(batch);
        return;
      }
      if (batch.length > 0) await this.process(batch);
    }
  }

  /**
   * Long-polls until something arrives; then, with a batching window, keeps gathering until
   * the batch is full or the window (counted from the first message) closes.
   */
  private async collectBatch(signal: AbortSignal): Promise<ReceivedMessage[]> {
    const batch: ReceivedMessage[] = [];
    // A pause ends a long poll that is waiting; what was gathered so far is still processed.
    const paused = this.gate?.signal;
    let windowSignal: AbortSignal | undefined;
    let closeWindow: (() => void) | undefined;
    try {
      while (batch.length < this.batchSize && !signal.aborted && !windowSignal?.aborted && paused?.aborted !== true) {
        const received = await this.queue.receive({
          maxNumberOfMessages: Math.min(MAX_MESSAGES_PER_RECEIVE, this.batchSize - batch.length),
          waitTimeSeconds: LONG_POLL_SECONDS,
          signal: AbortSignal.any([signal, ...(windowSignal === undefined ? [] : [windowSignal]), ...(paused === undefined ? [] : [paused])]),
        });
        batch.push(...received);
        if (batch.length === 0) continue;
        if (this.windowMs === 0) break;
        if (!windowSignal) {
          const window = new AbortController();
          closeWindow = this.clock.schedule(this.windowMs, () => window.abort());
          windowSignal = window.signal;
        }
      }
      return batch;
    } catch (error) {
      this.release(batch);
      throw error;
    } finally {
      closeWindow?.();
    }
  }

  private async process(batch: ReceivedMessage[]): Promise<void> {
    const event = toSqsEvent(batch, this.queue);
    const messageIds = batch.map((message) => message.messageId);
    let outcome: InvocationOutcome;
    let error: unknown;
    try {
      const response = await this.invoke(event);
      outcome = interpretBatchResponse(response, messageIds, this.reportBatchItemFailures);
    } catch (invocationError) {
      error = invocationError;
      outcome = { kind: 'failure', reason: 'the invocation failed' };
    }

    const failed = new Set(
      outcome.kind === 'success' ? [] : outcome.kind === 'partial' ? outcome.failedMessageIds : messageIds,
    );
    const deletedMessageIds: string[] = [];
    const retainedMessageIds: string[] = [];
    for (const message of batch) {
      // A delete can be a no-op when the function outlived the visibility timeout and the
      // message was received again meanwhile; it is then retained, as it would be in AWS.
      if (!failed.has(message.messageId) && this.tryDelete(message)) {
        deletedMessageIds.push(message.messageId);
      } else {
        retainedMessageIds.push(message.messageId);
      }
    }
    try {
      this.onBatch({ event, outcome, ...(error !== undefined && { error }), deletedMessageIds, retainedMessageIds });
    } catch (hookError) {
      this.onError(hookError);
    }
  }

  private tryDelete(message: ReceivedMessage): boolean {
    try {
      return this.queue.delete(message.receiptHandle);
    } catch (error) {
      this.onError(error);
      return false;
    }
  }

  /** Messages gathered but never invoked go straight back instead of waiting out the timeout. */
  private release(batch: ReceivedMessage[]): void {
    for (const message of batch) {
      try {
        this.queue.changeVisibility(message.receiptHandle, 0);
      } catch {
        // Already gone or visible again: nothing to give back.
      }
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        cancel();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const cancel = this.clock.schedule(ms, done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
