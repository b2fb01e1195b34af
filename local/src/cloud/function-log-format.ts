/**
 * How the local cloud's console shows what functions print. Powertools writes one JSON object
 * per log line and one per metric flush (CloudWatch Embedded Metric Format); raw, they are too
 * wide to read. By default each becomes one compact line:
 *
 *   14:02:07 INFO  PlaceOrderFunction Order placed orderId=… correlationId=…
 *   14:02:07 metric PlaceOrderFunction OrdersPlaced=1 ColdStart=1
 *
 * `LOCAL_LOG_FORMAT=json` shows the raw JSON instead. Anything that is not such a JSON object
 * (a console.log, a runtime message) is shown as printed.
 */
export type LogFormat = 'pretty' | 'json';

export function logFormatFrom(value: string | undefined): LogFormat {
  return value?.trim().toLowerCase() === 'json' ? 'json' : 'pretty';
}

export interface Painter {
  dim(text: string): string;
  level(level: string, text: string): string;
  name(text: string): string;
}

const plain: Painter = { dim: (text) => text, level: (_, text) => text, name: (text) => text };

/** Fields worth a glance in every line, in this order, under the names a reader searches for. */
const CONTEXT_FIELDS: [key: string, label: string][] = [
  ['orderId', 'orderId'],
  ['correlation_id', 'correlationId'],
  ['correlationId', 'correlationId'],
  ['executionId', 'executionId'],
  ['operation', 'operation'],
];

function clockTime(timestamp: unknown): string {
  const date = typeof timestamp === 'string' || typeof timestamp === 'number' ? new Date(timestamp) : new Date();
  const time = Number.isNaN(date.getTime()) ? new Date() : date;
  return [time.getHours(), time.getMinutes(), time.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}

export function parseObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An EMF document: `_aws.CloudWatchMetrics[].Metrics[].Name`, each value at the top level. */
function metricLine(document: Record<string, unknown>, functionLogicalId: string, paint: Painter): string | undefined {
  const aws = document._aws;
  if (typeof aws !== 'object' || aws === null) return undefined;
  const directives = (aws as { CloudWatchMetrics?: unknown }).CloudWatchMetrics;
  if (!Array.isArray(directives)) return undefined;
  const names = directives.flatMap((directive: { Metrics?: { Name?: unknown }[] }) =>
    (directive.Metrics ?? []).map((metric) => metric.Name).filter((name): name is string => typeof name === 'string'),
  );
  const values = names.map((name) => `${name}=${Array.isArray(document[name]) ? (document[name] as unknown[]).join(',') : String(document[name])}`);
  const time = clockTime((aws as { Timestamp?: unknown }).Timestamp);
  return `${paint.dim(time)} ${paint.level('METRIC', 'metric')} ${paint.name(functionLogicalId)} ${values.join(' ')}`;
}

export function errorSummary(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (typeof message !== 'string') return undefined;
  return typeof name === 'string' ? `${name}: ${message}` : message;
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One line a function printed, as the console shows it. */
export function formatFunctionLine(
  functionLogicalId: string,
  line: string,
  options: { format: LogFormat; paint?: Painter },
): string {
  const paint = options.paint ?? plain;
  const document = options.format === 'pretty' ? parseObject(line) : undefined;
  const raw = `${paint.name(`[${functionLogicalId}]`)} ${line}`;
  if (document === undefined) return raw;
  const metric = metricLine(document, functionLogicalId, paint);
  if (metric !== undefined) return metric;
  if (typeof document.level !== 'string' || typeof document.message !== 'string') return raw;
  const level = document.level.toUpperCase();
  const context = CONTEXT_FIELDS.filter(([key]) => document[key] !== undefined && document[key] !== null).map(
    ([key, label]) => `${label}=${scalar(document[key])}`,
  );
  const error = errorSummary(document.error);
  const parts = [
    paint.dim(clockTime(document.timestamp)),
    paint.level(level, level.padEnd(5)),
    paint.name(functionLogicalId),
    document.message,
    ...(error === undefined ? [] : [error]),
    ...[...new Set(context)].map((text) => paint.dim(text)),
  ];
  return parts.join(' ');
}
