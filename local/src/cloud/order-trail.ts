import type { FunctionLogEvent } from './function-log-file.ts';
import { errorSummary, parseObject } from './function-log-format.ts';

/**
 * `npm run trail`: one order's story across every function, from the local cloud's function log
 * file. The same selection as the order-trail Logs Insights query of template.yaml
 * (`filter @message like "<id>" | sort @timestamp asc`): every log line that mentions the order
 * id or correlation id, oldest first, one line each.
 */
export interface TrailEntry {
  /** The entry's own timestamp (Powertools `timestamp`), else when the line arrived. */
  time: Date;
  functionLogicalId: string;
  /** `INFO`, `ERROR`, …; `-` for a line that is not a log entry (a console.log, a runtime message). */
  level: string;
  message: string;
  error?: string;
  /** The domain event the line is about (the publisher and the consumers log it). */
  eventType?: string;
  orderId?: string;
  correlationId?: string;
}

export function trailOf(events: FunctionLogEvent[], id: string): TrailEntry[] {
  return events
    .filter((event) => event.message.includes(id))
    .flatMap((event) => {
      const entry = entryOf(event);
      return entry === undefined ? [] : [entry];
    })
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.time.getTime() - b.entry.time.getTime() || a.index - b.index)
    .map(({ entry }) => entry);
}

/** The order ids the trail mentions, in order of appearance (a correlation id may span several). */
export function orderIdsOf(trail: TrailEntry[]): string[] {
  return [...new Set(trail.flatMap((entry) => (entry.orderId === undefined ? [] : [entry.orderId])))];
}

function entryOf(event: FunctionLogEvent): TrailEntry | undefined {
  const arrived = new Date(event.time);
  const document = parseObject(event.message);
  // A metric flush (CloudWatch Embedded Metric Format) is a number, not a step of the story.
  if (document !== undefined && typeof document._aws === 'object') return undefined;
  if (document === undefined || typeof document.message !== 'string') {
    return { time: arrived, functionLogicalId: event.functionLogicalId, level: '-', message: event.message };
  }
  const stamped = typeof document.timestamp === 'string' ? new Date(document.timestamp) : arrived;
  const error = errorSummary(document.error);
  const eventType = stringField(document.eventType);
  const orderId = stringField(document.orderId);
  const correlationId = stringField(document.correlation_id) ?? stringField(document.correlationId);
  return {
    time: Number.isNaN(stamped.getTime()) ? arrived : stamped,
    functionLogicalId: event.functionLogicalId,
    level: typeof document.level === 'string' ? document.level.toUpperCase() : '-',
    message: document.message,
    ...(error === undefined ? {} : { error }),
    ...(eventType === undefined ? {} : { eventType }),
    ...(orderId === undefined ? {} : { orderId }),
    ...(correlationId === undefined ? {} : { correlationId }),
  };
}

export function formatTrail(trail: TrailEntry[]): string {
  const width = Math.max(0, ...trail.map((entry) => entry.functionLogicalId.length));
  return trail
    .map((entry) =>
      [
        entry.time.toISOString(),
        entry.level.padEnd(5),
        entry.functionLogicalId.padEnd(width),
        entry.message,
        ...(entry.error === undefined ? [] : [entry.error]),
        ...(entry.eventType === undefined ? [] : [`eventType=${entry.eventType}`]),
        ...(entry.orderId === undefined ? [] : [`orderId=${entry.orderId}`]),
        ...(entry.correlationId === undefined ? [] : [`correlationId=${entry.correlationId}`]),
      ].join(' '),
    )
    .join('\n');
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
