/**
 * What the PreTraffic hook checks in the new version's answer to GET /products: a 200 with a
 * JSON catalogue page. Returns why the answer is wrong, or undefined when it is right.
 */
export function problemWithListProductsAnswer(answer: { functionError?: string | undefined; payload: unknown }): string | undefined {
  if (answer.functionError !== undefined) return `the function failed (${answer.functionError}): ${JSON.stringify(answer.payload)}`;
  const result = answer.payload as { statusCode?: unknown; headers?: Record<string, unknown>; body?: unknown } | null;
  if (typeof result !== 'object' || result === null) return `not an API Gateway proxy result: ${JSON.stringify(result)}`;
  if (result.statusCode !== 200) return `status ${String(result.statusCode)}, expected 200: ${String(result.body)}`;
  const contentType = Object.entries(result.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  if (typeof contentType !== 'string' || !contentType.startsWith('application/json')) return `content-type ${String(contentType)}, expected application/json`;
  let body: unknown;
  try {
    body = JSON.parse(String(result.body));
  } catch {
    return `the body is not JSON: ${String(result.body)}`;
  }
  if (!Array.isArray((body as { items?: unknown } | null)?.items)) return `the body has no items list: ${String(result.body)}`;
  return undefined;
}
