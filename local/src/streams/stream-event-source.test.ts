import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../core/clock.ts';
import { PauseGate } from '../core/pause-gate.ts';
import { InMemoryStream } from '../../test-support/in-memory-stream.ts';
import type { StreamOnFailureRecord } from './on-failure-record.ts';
import { type ShardBatchResult, type StreamDiscard, StreamEventSource, type StreamEventSourceOptions } from './stream-event-source.ts';

const SHARD = 'shardId-00000001700000000000-aaaaaaaa';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:OrderEventsPublisher';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:order-stream-dlq';

const running: StreamEventSource[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((source) => source.stop()));
});

type Handler = (event: DynamoDBStreamEvent) => Promise<unknown>;

function setup(options: Partial<StreamEventSourceOptions> = {}, stream = new InMemoryStream().addShard(SHARD)) {
  const invocations: Array<{ requestId: string; keys: string[]; event: DynamoDBStreamEvent }> = [];
  const handler = vi.fn<Handler>(async () => undefined);
  const delivered: Array<{ destination: string; record: StreamOnFailureRecord }> = [];
  const discards: StreamDiscard[] = [];
  const batches: ShardBatchResult[] = [];
  const errors: unknown[] = [];
  const source = new StreamEventSource({
    reader: stream,
    functionArn: FUNCTION_ARN,
    invoke: async (event, { requestId }) => {
      invocations.push({ requestId, keys: keysOf(event.Records), event: structuredClone(event) });
      return handler(event);
    },
    onFailureDestination: DLQ_ARN,
    sendToOnFailureDestination: async (destination, body) => {
      delivered.push({ destination, record: JSON.parse(body) as StreamOnFailureRecord });
    },
    pollIntervalMs: 2,
    discoveryIntervalMs: 5,
    retryDelay: { initialMs: 0, maxMs: 0 },
    onBatch: (result) => batches.push(result),
    onDiscard: (discard) => discards.push(discard),
    onError: (error) => errors.push(error),
    ...options,
  });
  running.push(source);
  return { stream, source, handler, invocations, delivered, discards, batches, errors };
}

function keysOf(records: readonly DynamoDBRecord[]): string[] {
  return records.map((record) => record.dynamodb?.Keys?.pk?.S ?? '?');
}

function insert(stream: InMemoryStream, pk: string, attributes: Record<string, string> = {}, shardId = SHARD, createdAt?: Date): string {
  const image = Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { S: value }]));
  return stream.write(shardId, {
    eventName: 'INSERT',
    keys: { pk: { S: pk } },
    newImage: { pk: { S: pk }, ...image },
    ...(createdAt !== undefined && { createdAt }),
  });
}

function insertAll(stream: InMemoryStream, ...pks: string[]): string[] {
  return pks.map((pk) => insert(stream, pk));
}

/** A handler that throws whenever the batch contains one of `poison`. */
function failingOn(...poison: string[]): Handler {
  return async (event) => {
    const hit = keysOf(event.Records).find((key) => poison.includes(key));
    if (hit !== undefined) throw new Error(`cannot handle ${hit}`);
    return undefined;
  };
}

describe('StreamEventSource: batching and order', () => {
  it('invokes with Lambda-shaped DynamoDB records carrying the images and the mapping ARN', async () => {
    const { stream, source, invocations } = setup({ region: 'eu-west-1' });
    const sequenceNumber = stream.write(SHARD, {
      eventName: 'MODIFY',
      keys: { pk: { S: 'ORDER#1' } },
      oldImage: { pk: { S: 'ORDER#1' }, status: { S: 'PENDING' } },
      newImage: { pk: { S: 'ORDER#1' }, status: { S: 'PAID' } },
      createdAt: new Date('2025-03-01T10:00:07.400Z'),
    });
    await source.start();
    await source.idle();

    expect(invocations).toHaveLength(1);
    expect(invocations[0]?.event.Records[0]).toEqual({
      eventID: `event-${sequenceNumber}`,
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: {
        ApproximateCreationDateTime: Date.parse('2025-03-01T10:00:07Z') / 1000,
        Keys: { pk: { S: 'ORDER#1' } },
        NewImage: { pk: { S: 'ORDER#1' }, status: { S: 'PAID' } },
        OldImage: { pk: { S: 'ORDER#1' }, status: { S: 'PENDING' } },
        SequenceNumber: sequenceNumber,
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: stream.streamArn,
    });
  });

  it('splits the shard into batches of at most BatchSize, in stream order', async () => {
    const { stream, source, invocations } = setup({ batchSize: 3 });
    insertAll(stream, 'a', 'b', 'c', 'd', 'e', 'f', 'g');
    await source.start();
    await source.idle();

    expect(invocations.map((invocation) => invocation.keys)).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
  });

  it('keeps polling: records written after start are delivered', async () => {
    const { stream, source, invocations } = setup();
    await source.start();
    await source.idle();
    expect(invocations).toHaveLength(0);

    insertAll(stream, 'late-1', 'late-2');
    await source.idle();
    expect(invocations.flatMap((invocation) => invocation.keys)).toEqual(['late-1', 'late-2']);
  });

  it('reads nothing while paused and delivers what was written meanwhile once resumed', async () => {
    const gate = new PauseGate();
    const { stream, source, invocations } = setup({ gate });
    await source.start();
    await source.idle();
    gate.pause();
    insertAll(stream, 'paused-1', 'paused-2');
    await new Promise((resolve) => setTimeout(resolve, 30)); // many poll intervals
    expect(invocations).toHaveLength(0);
    gate.resume();
    await source.idle();
    expect(invocations.flatMap((invocation) => invocation.keys)).toEqual(['paused-1', 'paused-2']);
  });

  it('never has two batches of one shard in flight, but runs shards side by side', async () => {
    const stream = new InMemoryStream().addShard('shard-1').addShard('shard-2');
    const { source, handler } = setup({ batchSize: 1 }, stream);
    const inFlight = new Map<string, number>();
    const maxInFlight = new Map<string, number>();
    let overall = 0;
    let maxOverall = 0;
    handler.mockImplementation(async (event) => {
      const shard = keysOf(event.Records)[0]?.split(':')[0] ?? '?';
      inFlight.set(shard, (inFlight.get(shard) ?? 0) + 1);
      maxInFlight.set(shard, Math.max(maxInFlight.get(shard) ?? 0, inFlight.get(shard) ?? 0));
      overall += 1;
      maxOverall = Math.max(maxOverall, overall);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight.set(shard, (inFlight.get(shard) ?? 0) - 1);
      overall -= 1;
      return undefined;
    });
    for (let index = 0; index < 4; index += 1) {
      insert(stream, `shard-1:${index}`, {}, 'shard-1');
      insert(stream, `shard-2:${index}`, {}, 'shard-2');
    }
    await source.start();
    await source.idle();

    expect(handler).toHaveBeenCalledTimes(8);
    expect(maxInFlight.get('shard-1')).toBe(1);
    expect(maxInFlight.get('shard-2')).toBe(1);
    expect(maxOverall).toBe(2);
  });

  it('reads a child shard only after its parent is finished, so changes keep their order across a split', async () => {
    const stream = new InMemoryStream().addShard('parent').addShard('child', 'parent');
    insert(stream, 'p1', {}, 'parent');
    insert(stream, 'c1', {}, 'child');
    insert(stream, 'p2', {}, 'parent');
    stream.close('parent');
    const { source, invocations } = setup({ batchSize: 10 }, stream);
    await source.start();
    await source.idle();

    expect(invocations.map((invocation) => invocation.keys)).toEqual([['p1', 'p2'], ['c1']]);
    expect(stream.isFinished('parent')).toBe(true);
    expect(stream.isFinished('child')).toBe(false);
  });

  it('with a batching window, gathers records until the window closes', async () => {
    const { stream, source, invocations } = setup({ batchSize: 10, maximumBatchingWindowInSeconds: 1 });
    await source.start();
    const started = Date.now();
    insertAll(stream, 'a', 'b');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(invocations).toHaveLength(0);
    insertAll(stream, 'c');
    await source.idle();

    expect(invocations.map((invocation) => invocation.keys)).toEqual([['a', 'b', 'c']]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('with a batching window, invokes at once when the batch is full', async () => {
    const { stream, source, invocations } = setup({ batchSize: 2, maximumBatchingWindowInSeconds: 300 });
    insertAll(stream, 'a', 'b');
    await source.start();
    await vi.waitFor(() => expect(invocations.map((invocation) => invocation.keys)).toEqual([['a', 'b']]), { timeout: 2000 });
  });

  it('keeps going after a read error', async () => {
    const { stream, source, invocations, errors } = setup();
    const failure = new Error('DynamoDB Local hiccup');
    stream.failReads(failure);
    insertAll(stream, 'a');
    await source.start();
    await vi.waitFor(() => expect(invocations.flatMap((invocation) => invocation.keys)).toEqual(['a']), { timeout: 3000 });
    expect(errors).toContain(failure);
  });
});

describe('StreamEventSource: filtering', () => {
  it('delivers only records matching at least one filter; the others count as processed', async () => {
    const { stream, source, invocations } = setup({
      batchSize: 2,
      filterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { status: { S: ['PAID'] } } } }) },
          { Pattern: JSON.stringify({ eventName: ['REMOVE'] }) },
        ],
      },
    });
    insert(stream, 'a', { status: 'PENDING' });
    insert(stream, 'b', { status: 'PAID' });
    insert(stream, 'c', { status: 'PENDING' });
    insert(stream, 'd', { status: 'PAID' });
    stream.write(SHARD, { eventName: 'REMOVE', keys: { pk: { S: 'e' } }, oldImage: { pk: { S: 'e' } } });
    await source.start();
    await source.idle();

    // Filtered-out records do not take room in a batch: b and d arrive together.
    expect(invocations.map((invocation) => invocation.keys)).toEqual([['b', 'd'], ['e']]);
  });

  it('never invokes the function for a batch that is filtered out entirely', async () => {
    const { stream, source, handler } = setup({
      filterCriteria: { Filters: [{ Pattern: '{"eventName":["MODIFY"]}' }] },
    });
    insertAll(stream, 'a', 'b', 'c');
    await source.start();
    await source.idle();
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('StreamEventSource: partial batch responses', () => {
  it('checkpoints before the lowest failed sequence number and retries from it', async () => {
    const { stream, source, handler, invocations } = setup({ functionResponseTypes: ['ReportBatchItemFailures'], batchSize: 5 });
    const sequence = insertAll(stream, 'a', 'b', 'c', 'd', 'e');
    handler.mockImplementationOnce(
      async (): Promise<DynamoDBBatchResponse> => ({
        // Not in order, and more than one: Lambda takes the lowest.
        batchItemFailures: [{ itemIdentifier: sequence[3] ?? '' }, { itemIdentifier: sequence[2] ?? '' }],
      }),
    );
    await source.start();
    await source.idle();

    expect(invocations.map((invocation) => invocation.keys)).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['c', 'd', 'e'],
    ]);
  });

  it('treats an empty batchItemFailures list as complete success', async () => {
    const { stream, source, handler, invocations } = setup({ functionResponseTypes: ['ReportBatchItemFailures'] });
    handler.mockResolvedValue({ batchItemFailures: [] });
    insertAll(stream, 'a', 'b');
    await source.start();
    await source.idle();
    expect(invocations).toHaveLength(1);
  });

  it('treats an empty itemIdentifier as a failure of the whole batch', async () => {
    const { stream, source, handler, invocations, batches } = setup({
      functionResponseTypes: ['ReportBatchItemFailures'],
      maximumRetryAttempts: 5,
    });
    handler.mockResolvedValueOnce({ batchItemFailures: [{ itemIdentifier: '' }] });
    insertAll(stream, 'a', 'b');
    await source.start();
    await source.idle();

    expect(invocations.map((invocation) => invocation.keys)).toEqual([['a', 'b'], ['a', 'b']]);
    expect(batches[0]?.outcome.kind).toBe('failure');
  });

  it('ignores the response without ReportBatchItemFailures', async () => {
    const { stream, source, handler, invocations } = setup();
    const [first] = insertAll(stream, 'a', 'b');
    handler.mockResolvedValue({ batchItemFailures: [{ itemIdentifier: first }] });
    await source.start();
    await source.idle();
    expect(invocations).toHaveLength(1);
  });

  it('counts partial failures as retries and reports only the failing tail when they run out', async () => {
    const { stream, source, handler, invocations, delivered } = setup({
      functionResponseTypes: ['ReportBatchItemFailures'],
      maximumRetryAttempts: 2,
    });
    const [, second, third] = insertAll(stream, 'a', 'b', 'c');
    handler.mockImplementation(async (event) => ({
      batchItemFailures: event.Records.filter((record) => keysOf([record])[0] === 'b').map((record) => ({
        itemIdentifier: record.dynamodb?.SequenceNumber ?? '',
      })),
    }));
    await source.start();
    await source.idle();

    expect(invocations.map((invocation) => invocation.keys)).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c'],
      ['b', 'c'],
    ]);
    const record = delivered[0]?.record;
    expect(record?.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 });
    // The function returned normally: no functionError.
    expect(record?.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(record?.DDBStreamBatchInfo).toMatchObject({ startSequenceNumber: second, endSequenceNumber: third, batchSize: 2 });
  });
});

describe('StreamEventSource: function errors and retries', () => {
  it('retries a failed batch, then sends the on-failure record and moves past it', async () => {
    const { stream, source, handler, invocations, delivered, discards } = setup({ maximumRetryAttempts: 2, batchSize: 2 });
    handler.mockImplementation(failingOn('b'));
    const first = insert(stream, 'a', {}, SHARD, new Date('2025-03-01T10:00:01.900Z'));
    const second = insert(stream, 'b', {}, SHARD, new Date('2025-03-01T10:00:05Z'));
    insert(stream, 'c');
    await source.start();
    await source.idle();

    expect(invocations.map((invocation) => invocation.keys)).toEqual([['a', 'b'], ['a', 'b'], ['a', 'b'], ['c']]);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.destination).toBe(DLQ_ARN);
    expect(delivered[0]?.record).toEqual({
      requestContext: {
        requestId: invocations[2]?.requestId,
        functionArn: FUNCTION_ARN,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      DDBStreamBatchInfo: {
        shardId: SHARD,
        startSequenceNumber: first,
        endSequenceNumber: second,
        approximateArrivalOfFirstRecord: '2025-03-01T10:00:01Z',
        approximateArrivalOfLastRecord: '2025-03-01T10:00:05Z',
        batchSize: 2,
        streamArn: stream.streamArn,
      },
    });
    expect(discards[0]?.records.map((record) => record.dynamodb?.SequenceNumber)).toEqual([first, second]);
  });

  it('with MaximumRetryAttempts 0, discards after the first failure', async () => {
    const { stream, source, handler, invocations, delivered } = setup({ maximumRetryAttempts: 0 });
    handler.mockImplementation(failingOn('a'));
    insertAll(stream, 'a');
    await source.start();
    await source.idle();
    expect(invocations).toHaveLength(1);
    expect(delivered[0]?.record.requestContext.approximateInvokeCount).toBe(1);
  });

  it('with -1, retries until the function succeeds', async () => {
    const { stream, source, handler, invocations, delivered } = setup({ maximumRetryAttempts: -1 });
    let failuresLeft = 12;
    handler.mockImplementation(async () => {
      if (failuresLeft-- > 0) throw new Error('not yet');
      return undefined;
    });
    insertAll(stream, 'a');
    await source.start();
    await source.idle();
    expect(invocations).toHaveLength(13);
    expect(delivered).toHaveLength(0);
  });

  it('backs off between retries', async () => {
    const { stream, source, handler, invocations } = setup({ maximumRetryAttempts: 2, retryDelay: { initialMs: 40, maxMs: 1000 } });
    const times: number[] = [];
    handler.mockImplementation(async (event) => {
      times.push(Date.now());
      return failingOn('a')(event);
    });
    insertAll(stream, 'a');
    await source.start();
    await source.idle();
    expect(invocations).toHaveLength(3);
    const [t0 = 0, t1 = 0, t2 = 0] = times;
    expect(t1 - t0).toBeGreaterThanOrEqual(35);
    expect(t2 - t1).toBeGreaterThanOrEqual(75);
  });

  it('bisects a failing batch without consuming retries, isolating the bad record', async () => {
    const { stream, source, handler, invocations, delivered } = setup({
      batchSize: 4,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 1,
    });
    handler.mockImplementation(failingOn('c'));
    const [, , poison] = insertAll(stream, 'a', 'b', 'c', 'd');
    await source.start();
    await source.idle();

    expect(invocations.map((invocation) => invocation.keys)).toEqual([
      ['a', 'b', 'c', 'd'], // fails: split
      ['a', 'b'], // succeeds
      ['c', 'd'], // fails: split
      ['c'], // fails: a single record cannot be split, attempt 1
      ['c'], // fails again: attempt 2 > MaximumRetryAttempts
      ['d'],
    ]);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.record.DDBStreamBatchInfo).toMatchObject({ startSequenceNumber: poison, endSequenceNumber: poison, batchSize: 1 });
    // c was in four invocations: the full batch, its half, and twice alone.
    expect(delivered[0]?.record.requestContext.approximateInvokeCount).toBe(4);
  });

  it('with bisect and a partial response, retries from the reported record without halving', async () => {
    const { stream, source, handler, invocations } = setup({
      batchSize: 4,
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ['ReportBatchItemFailures'],
    });
    const sequence = insertAll(stream, 'a', 'b', 'c', 'd');
    handler.mockResolvedValueOnce({ batchItemFailures: [{ itemIdentifier: sequence[1] }] });
    await source.start();
    await source.idle();
    expect(invocations.map((invocation) => invocation.keys)).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'c', 'd'],
    ]);
  });

  it('keeps delivering the on-failure record until the destination accepts it', async () => {
    let refusals = 1;
    const accepted: string[] = [];
    const { stream, source, handler, errors, discards } = setup({
      maximumRetryAttempts: 0,
      sendToOnFailureDestination: async (_destination, body) => {
        if (refusals-- > 0) throw new Error('queue not there yet');
        accepted.push(body);
      },
    });
    handler.mockImplementation(failingOn('a'));
    insertAll(stream, 'a', 'b');
    await source.start();
    await vi.waitFor(() => expect(discards).toHaveLength(1), { timeout: 3000 });
    expect(accepted).toHaveLength(1);
    expect(errors.map(String)).toContain('Error: queue not there yet');
  });

  it('without a destination, discards the records and reports them', async () => {
    const { stream, source, handler, discards, invocations } = setup({
      batchSize: 1,
      maximumRetryAttempts: 0,
      onFailureDestination: undefined,
      sendToOnFailureDestination: undefined,
    });
    handler.mockImplementation(failingOn('a'));
    insertAll(stream, 'a', 'b');
    await source.start();
    await source.idle();
    expect(discards[0]).toMatchObject({ destination: undefined, condition: 'RetryAttemptsExhausted' });
    expect(invocations.at(-1)?.keys).toEqual(['b']);
  });
});

describe('StreamEventSource: MaximumRecordAgeInSeconds', () => {
  /** Real timers, but a wall clock that tests can move forward. */
  function movableClock(): Clock & { advance(ms: number): void } {
    let offset = 0;
    return {
      now: () => Date.now() + offset,
      schedule: (ms, fn) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      },
      advance: (ms) => {
        offset += ms;
      },
    };
  }

  it('discards records older than the limit without invoking the function', async () => {
    const clock = movableClock();
    const stream = new InMemoryStream('Orders', clock.now).addShard(SHARD);
    const { source, invocations, delivered } = setup({ clock, maximumRecordAgeInSeconds: 3600 }, stream);
    const old = insert(stream, 'old', {}, SHARD, new Date(clock.now() - 2 * 3600_000));
    insert(stream, 'fresh');
    await source.start();
    await source.idle();

    expect(invocations.map((invocation) => invocation.keys)).toEqual([['fresh']]);
    expect(delivered[0]?.record.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 0 });
    expect(delivered[0]?.record.responseContext).toBeUndefined();
    expect(delivered[0]?.record.DDBStreamBatchInfo).toMatchObject({ startSequenceNumber: old, endSequenceNumber: old, batchSize: 1 });
  });

  it('discards records that grow too old while their batch is being retried', async () => {
    const clock = movableClock();
    const stream = new InMemoryStream('Orders', clock.now).addShard(SHARD);
    const { source, handler, invocations, delivered } = setup({ clock, maximumRecordAgeInSeconds: 60, maximumRetryAttempts: -1 }, stream);
    handler.mockImplementation(async () => {
      if (invocations.length === 2) clock.advance(120_000);
      throw new Error('down');
    });
    insertAll(stream, 'a');
    await source.start();
    await source.idle();

    expect(invocations).toHaveLength(2);
    expect(delivered[0]?.record.requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 2 });
    expect(delivered[0]?.record.responseContext?.functionError).toBe('Unhandled');
  });

  it('does not age a fresh record by the minute DynamoDB Local rounds creation times down to', async () => {
    const clock = movableClock();
    const stream = new InMemoryStream('Orders', clock.now).addShard(SHARD);
    const { source, invocations, delivered } = setup({ clock, maximumRecordAgeInSeconds: 60 }, stream);
    // Written now, 50 s into a minute: DynamoDB Local stamps it with the start of that minute.
    insert(stream, 'a', {}, SHARD, new Date(clock.now() - 50_000));
    // Read 59 s later: 59 s old, not the 109 s the stamp suggests.
    clock.advance(59_000);
    await source.start();
    await source.idle();
    expect(invocations).toHaveLength(1);
    expect(delivered).toHaveLength(0);
  });
});

describe('StreamEventSource: lifecycle', () => {
  it('stops without leaving a timer behind, and idle() resolves once stopped', async () => {
    let active = 0;
    const clock: Clock = {
      now: () => Date.now(),
      schedule(ms, fn) {
        active += 1;
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          active -= 1;
        };
        const timer = setTimeout(() => {
          finish();
          fn();
        }, ms);
        return () => {
          clearTimeout(timer);
          finish();
        };
      },
    };
    const { stream, source, handler } = setup({ clock, maximumRetryAttempts: -1, retryDelay: { initialMs: 10_000, maxMs: 10_000 } });
    handler.mockRejectedValue(new Error('always'));
    insertAll(stream, 'a');
    await source.start();
    await vi.waitFor(() => expect(handler).toHaveBeenCalled());
    const idle = source.idle();
    expect(active).toBeGreaterThan(0);

    await source.stop();
    await idle;
    expect(active).toBe(0);
    expect(source.running).toBe(false);
  });

  it('waits for an invocation in flight when stopping', async () => {
    const { stream, source, handler } = setup();
    let finished = false;
    handler.mockImplementation(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished = true;
      return undefined;
    });
    insertAll(stream, 'a');
    await source.start();
    await vi.waitFor(() => expect(handler).toHaveBeenCalled());
    await source.stop();
    expect(finished).toBe(true);
  });

  it('refuses settings Lambda would refuse', () => {
    const reader = new InMemoryStream();
    const invoke = async () => undefined;
    expect(() => new StreamEventSource({ reader, invoke, functionArn: FUNCTION_ARN, batchSize: 0 })).toThrow(/BatchSize/);
    expect(() => new StreamEventSource({ reader, invoke, functionArn: FUNCTION_ARN, maximumRecordAgeInSeconds: 30 })).toThrow(/MaximumRecordAge/);
    expect(() => new StreamEventSource({ reader, invoke, functionArn: FUNCTION_ARN, onFailureDestination: DLQ_ARN })).toThrow(/sendToOnFailureDestination/);
  });
});
