import { inject } from 'vitest';
import { checkContract } from './contract.ts';

export interface ApiRequestOptions {
  /** An ID token; sent as the Authorization header, as the web client does. */
  token?: string;
  /** An object is sent as JSON; a string or bytes as they are. */
  body?: unknown;
  headers?: Record<string, string>;
}

// `any` by default on purpose: tests assert on response shapes with expect(), not with types.
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  json: T;
  text: string;
}

/** Calls the local API: `api('POST', '/orders', { token, body })`, and checks the answer against the documented contract. */
export async function api<T = any>(method: string, path: string, options: ApiRequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.Authorization = options.token;
  let body: string | Uint8Array | undefined;
  if (typeof options.body === 'string' || options.body instanceof Uint8Array) {
    body = options.body;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${inject('apiUrl')}${path}`, { method, headers, body });
  const text = await response.text();
  let json: T = undefined as T;
  try {
    json = (text === '' ? undefined : JSON.parse(text)) as T;
  } catch {
    // Not JSON: `text` has it.
  }
  const result = { status: response.status, headers: response.headers, json, text };
  // Every answer of a documented operation is held to docs/openapi.json (tests/support/contract.ts).
  checkContract(method, path, result);
  return result;
}
