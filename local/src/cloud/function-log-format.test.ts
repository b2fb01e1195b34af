import { describe, expect, it } from 'vitest';
import { formatFunctionLine, logFormatFrom } from './function-log-format.ts';

const at = '2026-11-29T14:02:07.123Z';
const local = (iso: string) => {
  const date = new Date(iso);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
};
const pretty = (line: string) => formatFunctionLine('PlaceOrderFunction', line, { format: 'pretty' });

describe('formatFunctionLine', () => {
  it('shows a Powertools log entry as time, level, function, message, order and correlation id', () => {
    const entry = {
      level: 'INFO',
      message: 'Order placed',
      timestamp: at,
      service: 'orders',
      cold_start: true,
      function_name: 'orders-PlaceOrderFunction-abc',
      function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      correlation_id: 'trace-1',
      orderId: 'o-1',
      xray_trace_id: '1-abc',
    };
    expect(pretty(JSON.stringify(entry))).toBe(`${local(at)} INFO  PlaceOrderFunction Order placed orderId=o-1 correlationId=trace-1`);
  });

  it('adds the error of an error entry', () => {
    const entry = { level: 'ERROR', message: 'Request failed', timestamp: at, error: { name: 'ValidationException', message: 'bad key', stack: 'at x' } };
    expect(pretty(JSON.stringify(entry))).toBe(`${local(at)} ERROR PlaceOrderFunction Request failed ValidationException: bad key`);
  });

  it('shows an EMF metric document as its metrics and values', () => {
    const emf = {
      _aws: { Timestamp: Date.parse(at), CloudWatchMetrics: [{ Namespace: 'ServerlessOrders', Dimensions: [['service']], Metrics: [{ Name: 'OrdersPlaced', Unit: 'Count' }, { Name: 'ColdStart', Unit: 'Count' }] }] },
      service: 'orders',
      OrdersPlaced: 1,
      ColdStart: 1,
    };
    expect(pretty(JSON.stringify(emf))).toBe(`${local(at)} metric PlaceOrderFunction OrdersPlaced=1 ColdStart=1`);
  });

  it('shows anything else as printed, with the function', () => {
    expect(pretty('plain text from console.log')).toBe('[PlaceOrderFunction] plain text from console.log');
    expect(pretty('{"not":"a log entry"}')).toBe('[PlaceOrderFunction] {"not":"a log entry"}');
    expect(pretty('{broken json')).toBe('[PlaceOrderFunction] {broken json');
  });

  it('shows the raw JSON when asked', () => {
    const line = JSON.stringify({ level: 'INFO', message: 'Order placed', timestamp: at });
    expect(formatFunctionLine('PlaceOrderFunction', line, { format: 'json' })).toBe(`[PlaceOrderFunction] ${line}`);
  });
});

describe('logFormatFrom', () => {
  it('is compact unless LOCAL_LOG_FORMAT=json', () => {
    expect(logFormatFrom(undefined)).toBe('pretty');
    expect(logFormatFrom('')).toBe('pretty');
    expect(logFormatFrom('JSON')).toBe('json');
  });
});
