import { isRecord } from '../template/template-types.ts';
import { hasHeader, type HttpReply } from './http-reply.ts';

export type ProxyResultMapping = { ok: true; reply: HttpReply } | { ok: false; reason: string };

const PROXY_RESULT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Turns a handler's return value into the HTTP response API Gateway would send, or explains
 * why API Gateway would reject it as a "Malformed Lambda proxy response" (a 502 for the client).
 */
export function mapProxyResult(payload: unknown): ProxyResultMapping {
  if (!isRecord(payload)) return malformed(`the result is ${describe(payload)}, not an object`);
  const unexpected = Object.keys(payload).filter((key) => !PROXY_RESULT_KEYS.has(key));
  if (unexpected.length > 0) return malformed(`unexpected field(s) ${unexpected.join(', ')}`);

  const statusCode = typeof payload.statusCode === 'string' ? Number(payload.statusCode) : payload.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return malformed(`statusCode is ${describe(payload.statusCode)}, not an HTTP status code`);
  }
  if (payload.body !== undefined && payload.body !== null && typeof payload.body !== 'string') {
    return malformed(`body is ${describe(payload.body)}; it must be a string (JSON.stringify it)`);
  }
  if (payload.isBase64Encoded !== undefined && typeof payload.isBase64Encoded !== 'boolean') {
    return malformed('isBase64Encoded must be a boolean');
  }

  const single = headerMap(payload.headers, 'headers');
  if (typeof single === 'string') return malformed(single);
  const multi = multiValueHeaderMap(payload.multiValueHeaders);
  if (typeof multi === 'string') return malformed(multi);

  // API Gateway merges both maps; a name in both keeps only its multiValueHeaders values.
  const headers: Record<string, string[]> = { ...multi };
  for (const [name, value] of Object.entries(single)) {
    if (!(name in multi)) headers[name] = [value];
  }
  if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = ['application/json'];

  const text = typeof payload.body === 'string' ? payload.body : '';
  const body = payload.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { ok: true, reply: { statusCode, headers, body } };
}

function headerMap(value: unknown, field: string): Record<string, string> | string {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return `${field} must be an object`;
  const result: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value)) {
    if (!isScalar(headerValue)) return `${field}.${name} is ${describe(headerValue)}, not a string`;
    result[name] = String(headerValue);
  }
  return result;
}

function multiValueHeaderMap(value: unknown): Record<string, string[]> | string {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return 'multiValueHeaders must be an object';
  const result: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(value)) {
    if (!Array.isArray(values) || !values.every(isScalar)) return `multiValueHeaders.${name} must be a list of strings`;
    result[name] = values.map(String);
  }
  return result;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function malformed(reason: string): ProxyResultMapping {
  return { ok: false, reason: `Malformed Lambda proxy response: ${reason}` };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
