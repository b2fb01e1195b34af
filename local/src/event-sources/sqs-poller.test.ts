import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { PauseGate } from '../core/pause-gate.ts';
import { EventSourcePoller, type BatchResult, type EventSourcePollerOptions } from './sqs-poller.ts';
import type { QueueSettings } from '../sqs/queue.ts';
import { QueueRegistry } from '../sqs/registry.ts';

/** Lets promise chains (poll → invoke → delete → poll) run without moving the clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

function setup(
  settings: Partial<QueueSettings> = {},
  options: Partial<EventSourcePollerOptions> = {},
) {
  const clock = new ManualClock();
  const registry = new QueueRegistry({ clock });
  const dlq = registry.create('orders-dlq');
  const queue = registry.create('orders', { visibilityTimeout: 30, ...settings });
  const events: SQSEvent[] = [];
  const results: BatchResult[] = [];
  const invoke = vi.fn(async (event: SQSEvent): Promise<unknown> => {
    events.push(event);
    return undefined;
  });
  const poller = new EventSourcePoller({
    queue,
    invoke: (event) => invoke(event),
    clock,
    onBatch: (result) => results.push(result),
    ...options,
  });
  return { clock, registry, dlq, queue, poller, invoke, events, results };
}

const bodies = (event: SQSEvent | undefined) => event?.Records.map((r) => r.body);

describe('EventSourcePoller', () => {
  it('invokes with a batch of real SQS records and deletes them on success', async () => {
    const { queue, poller, events, results } = setup();
    queue.send({ body: 'a' });
    queue.send({ body: 'b' });
    poller.start();
    await vi.waitFor(() => expect(events).toHaveLength(1));

    expect(bodies(events[0])).toEqual(['a', 'b']);
    expect(events[0]?.Records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1' },
    });
    await vi.waitFor(() => expect(results).toHaveLength(1));
    expect(results[0]?.deletedMessageIds).toHaveLength(2);
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await poller.stop();
  });

  it('waits on a long poll and invokes when a message arrives', async () => {
    const { queue, poller, events } = setup();
    poller.start();
    await settle();
    expect(events).toHaveLength(0);
    queue.send({ body: 'late' });
    await vi.waitFor(() => expect(bodies(events[0])).toEqual(['late']));
    await poller.stop();
  });

  it('reads nothing while paused, cutting a waiting long poll short, and carries on when resumed', async () => {
    const gate = new PauseGate();
    const { queue, poller, events } = setup({}, { gate });
    poller.start();
    await settle(); // waiting on a long poll
    gate.pause();
    await settle();
    queue.send({ body: 'while paused' });
    await settle();
    expect(events).toHaveLength(0);
    expect(queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    gate.resume();
    await vi.waitFor(() => expect(bodies(events[0])).toEqual(['while paused']));
    await poller.stop();
  });

  it('keeps only the reported failures with ReportBatchItemFailures, retrying them after the visibility timeout', async () => {
    const { clock, queue, poller, invoke, events } = setup(
      {},
      { functionResponseTypes: ['ReportBatchItemFailures'] },
    );
    invoke.mockImplementationOnce(async (event): Promise<SQSBatchResponse> => {
      events.push(event);
      return { batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] };
    });
    queue.send({ body: 'ok-1' });
    queue.send({ body: 'fails' });
    queue.send({ body: 'ok-2' });
    poller.start();
    await vi.waitFor(() => expect(queue.depth()).toEqual({ visible: 0, inFlight: 1, delayed: 0 }));

    clock.advance(30_000);
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(bodies(events[1])).toEqual(['fails']);
    expect(events[1]?.Records[0]?.attributes.ApproximateReceiveCount).toBe('2');
    await vi.waitFor(() => expect(queue.depth().inFlight).toBe(0));
    await poller.stop();
  });

  it('ignores batchItemFailures when ReportBatchItemFailures is off', async () => {
    const { queue, poller, invoke, results } = setup();
    invoke.mockResolvedValueOnce({ batchItemFailures: [{ itemIdentifier: 'anything' }] });
    queue.send({ body: 'a' });
    poller.start();
    await vi.waitFor(() => expect(results).toHaveLength(1));
    expect(results[0]?.outcome).toEqual({ kind: 'success' });
    expect(queue.depth().inFlight).toBe(0);
    await poller.stop();
  });

  it('retains the whole batch when the response is invalid', async () => {
    const { queue, poller, invoke, results } = setup({}, { functionResponseTypes: ['ReportBatchItemFailures'] });
    invoke.mockResolvedValueOnce({ batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] });
    queue.send({ body: 'a' });
    queue.send({ body: 'b' });
    poller.start();
    await vi.waitFor(() => expect(results).toHaveLength(1));
    expect(results[0]?.outcome.kind).toBe('failure');
    expect(results[0]?.retainedMessageIds).toHaveLength(2);
    expect(queue.depth().inFlight).toBe(2);
    await poller.stop();
  });

  it('retries a throwing function until the redrive policy moves the message to the DLQ', async () => {
    const clock = new ManualClock();
    const registry = new QueueRegistry({ clock });
    const dlq = registry.create('dlq');
    const queue = registry.create('orders', {
      visibilityTimeout: 10,
      redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 },
    });
    const invoke = vi.fn(async () => {
      throw new Error('boom');
    });
    const results: BatchResult[] = [];
    const poller = new EventSourcePoller({ queue, invoke, clock, onBatch: (r) => results.push(r) });
    queue.send({ body: 'poison' });
    poller.start();
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledTimes(1));
    expect(results[0]?.error).toEqual(new Error('boom'));

    clock.advance(10_000);
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledTimes(2));
    clock.advance(10_000);
    await vi.waitFor(() => expect(dlq.depth().visible).toBe(1));
    await settle();
    expect(invoke).toHaveBeenCalledTimes(2);
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await poller.stop();
  });

  it('gathers messages for the batching window, counted from the first message', async () => {
    const { clock, queue, poller, events } = setup({}, { batchSize: 5, maximumBatchingWindowInSeconds: 10 });
    poller.start();
    queue.send({ body: '1' });
    await settle();
    clock.advance(6000);
    queue.send({ body: '2' });
    await settle();
    clock.advance(3999);
    await settle();
    expect(events).toHaveLength(0);
    clock.advance(1);
    await vi.waitFor(() => expect(bodies(events[0])).toEqual(['1', '2']));
    await poller.stop();
  });

  it('invokes before the window closes once the batch is full', async () => {
    const { queue, poller, events } = setup({}, { batchSize: 12, maximumBatchingWindowInSeconds: 60 });
    for (let i = 0; i < 12; i++) queue.send({ body: String(i) });
    poller.start();
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events[0]?.Records).toHaveLength(12);
    await poller.stop();
  });

  it('splits work into batches of BatchSize', async () => {
    const { queue, poller, events } = setup({}, { batchSize: 1 });
    queue.send({ body: 'a' });
    queue.send({ body: 'b' });
    poller.start();
    await vi.waitFor(() => expect(events.map(bodies)).toEqual([['a'], ['b']]));
    await poller.stop();
  });

  it('stops cleanly: no timers left, gathered-but-uninvoked messages handed back', async () => {
    const { clock, queue, poller, events } = setup({}, { batchSize: 5, maximumBatchingWindowInSeconds: 30 });
    poller.start();
    await settle();
    expect(clock.pendingTimers).toBeGreaterThan(0);
    queue.send({ body: 'gathered' });
    await settle();
    await poller.stop();
    expect(poller.running).toBe(false);
    expect(events).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
    expect(queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it('lets a running invocation finish, and deletes its messages, before stop resolves', async () => {
    const { queue, poller, invoke, results } = setup();
    let finish: () => void = () => {};
    invoke.mockImplementationOnce(() => new Promise((resolve) => (finish = () => resolve(undefined))));
    queue.send({ body: 'slow' });
    poller.start();
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledTimes(1));
    const stopped = poller.stop();
    finish();
    await stopped;
    expect(results[0]?.deletedMessageIds).toHaveLength(1);
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('refuses settings Lambda refuses', () => {
    const queue = new QueueRegistry().create('q');
    const invoke = async () => undefined;
    expect(() => new EventSourcePoller({ queue, invoke, batchSize: 11 })).toThrowError(/MaximumBatchingWindowInSeconds/);
    expect(() => new EventSourcePoller({ queue, invoke, batchSize: 0 })).toThrowError(RangeError);
    expect(() => new EventSourcePoller({ queue, invoke, maximumBatchingWindowInSeconds: 301 })).toThrowError(RangeError);
  });
});
