import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FunctionLogEvent, openFunctionLogFile, readFunctionLogFile } from './function-log-file.ts';
import { formatTrail, orderIdsOf, trailOf } from './order-trail.ts';

const ORDER = '6f1c2a9e-0000-4000-8000-000000000001';
const OTHER = '6f1c2a9e-0000-4000-8000-000000000002';

const event = (functionLogicalId: string, time: string, message: unknown): FunctionLogEvent => ({
  time,
  functionLogicalId,
  stream: 'stdout',
  message: typeof message === 'string' ? message : JSON.stringify(message),
});

describe('trailOf', () => {
  const events = [
    // Arrival order is not time order: a later entry arrived first.
    event('TakePaymentFunction', '2026-11-30T10:00:05.000Z', { level: 'INFO', message: 'Payment taken', timestamp: '2026-11-30T10:00:04.000Z', orderId: ORDER, correlation_id: 'c-1' }),
    event('PlaceOrderFunction', '2026-11-30T10:00:06.000Z', { level: 'INFO', message: 'Order placed', timestamp: '2026-11-30T10:00:01.000Z', orderId: ORDER, correlation_id: 'c-1' }),
    event('PlaceOrderFunction', '2026-11-30T10:00:07.000Z', { level: 'INFO', message: 'Order placed', timestamp: '2026-11-30T10:00:02.000Z', orderId: OTHER, correlation_id: 'c-2' }),
    event('NotifyCustomerFunction', '2026-11-30T10:00:08.000Z', {
      level: 'ERROR',
      message: 'Record failed; it will be retried',
      timestamp: '2026-11-30T10:00:03.000Z',
      orderId: ORDER,
      correlation_id: 'c-1',
      eventType: 'OrderPlaced',
      error: { name: 'LocalFault', message: 'injected' },
    }),
    // A metric flush that happens to carry the id is not a step.
    event('PlaceOrderFunction', '2026-11-30T10:00:09.000Z', { _aws: { Timestamp: 1, CloudWatchMetrics: [] }, orderId: ORDER, OrdersPlaced: 1 }),
    event('StartFulfilmentFunction', '2026-11-30T10:00:10.000Z', `plain text about ${ORDER}`),
  ];

  it('keeps the lines that mention the id, oldest first by their own timestamps', () => {
    const trail = trailOf(events, ORDER);
    expect(trail.map((entry) => [entry.functionLogicalId, entry.message])).toEqual([
      ['PlaceOrderFunction', 'Order placed'],
      ['NotifyCustomerFunction', 'Record failed; it will be retried'],
      ['TakePaymentFunction', 'Payment taken'],
      ['StartFulfilmentFunction', `plain text about ${ORDER}`],
    ]);
    expect(trail[1]).toMatchObject({ level: 'ERROR', error: 'LocalFault: injected', eventType: 'OrderPlaced', orderId: ORDER, correlationId: 'c-1' });
    expect(trail[3]).toMatchObject({ level: '-', time: new Date('2026-11-30T10:00:10.000Z') });
  });

  it('finds the same lines by correlation id, and the orders they name', () => {
    const trail = trailOf(events, 'c-2');
    expect(trail.map((entry) => entry.orderId)).toEqual([OTHER]);
    expect(orderIdsOf(trailOf(events, ORDER))).toEqual([ORDER]);
  });

  it('prints one line per entry: time, level, function, message, error, event type, order id, correlation id', () => {
    const [placed, failed] = trailOf(events, ORDER);
    expect(formatTrail([placed!, failed!]).split('\n')).toEqual([
      `2026-11-30T10:00:01.000Z INFO  PlaceOrderFunction     Order placed orderId=${ORDER} correlationId=c-1`,
      `2026-11-30T10:00:03.000Z ERROR NotifyCustomerFunction Record failed; it will be retried LocalFault: injected eventType=OrderPlaced orderId=${ORDER} correlationId=c-1`,
    ]);
  });
});

describe('the function log file', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it('writes one JSON object per line and reads them back, starting afresh each time it is opened', async () => {
    directory = await mkdtemp(join(tmpdir(), 'function-log-'));
    const path = join(directory, 'logs', 'functions.jsonl');
    const clock = () => new Date('2026-11-30T10:00:00.000Z');
    const first = await openFunctionLogFile(path, clock);
    first.append({ functionLogicalId: 'OldFunction', stream: 'stdout', line: 'from the last run' });
    await first.close();

    const file = await openFunctionLogFile(path, clock);
    file.append({ functionLogicalId: 'PlaceOrderFunction', stream: 'stdout', line: '{"level":"INFO","message":"Order placed"}', requestId: 'r-1' });
    file.append({ functionLogicalId: 'PlaceOrderFunction', stream: 'stderr', line: 'a stray line' });
    await file.close();

    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(2);
    expect(await readFunctionLogFile(path)).toEqual([
      { time: '2026-11-30T10:00:00.000Z', functionLogicalId: 'PlaceOrderFunction', requestId: 'r-1', stream: 'stdout', message: '{"level":"INFO","message":"Order placed"}' },
      { time: '2026-11-30T10:00:00.000Z', functionLogicalId: 'PlaceOrderFunction', stream: 'stderr', message: 'a stray line' },
    ]);
  });
});
