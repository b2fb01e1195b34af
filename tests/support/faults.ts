import { inject } from 'vitest';
import type { EventSourceBatch } from '#local/event-sources/journal.ts';

/**
 * The local cloud's control endpoint (local/src/cloud/control-server.ts): make a function fail
 * for chosen inputs without changing its code, and see what each event source mapping
 * invocation got and what failed in it.
 */

export interface FaultSpec {
  /** The function fails for every record (of a batch event) or event whose JSON contains it. */
  match: string;
  errorType?: string;
  errorMessage?: string;
}

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${inject('controlUrl')}${path}`, {
    method,
    ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** From now on `functionLogicalId` fails for inputs containing `spec.match` (replaces its previous fault). */
export async function injectFault(functionLogicalId: string, spec: FaultSpec): Promise<void> {
  await control('PUT', `/__local/faults/${functionLogicalId}`, spec);
}

export async function clearFault(functionLogicalId: string): Promise<void> {
  await control('DELETE', `/__local/faults/${functionLogicalId}`);
}

export async function clearFaults(): Promise<void> {
  await control('DELETE', '/__local/faults');
}

/** Event source mapping invocations, oldest first; `after` a sequence number to see only newer ones. */
export async function eventSourceBatches(filter: { functionLogicalId?: string; after?: number } = {}): Promise<EventSourceBatch[]> {
  const query = new URLSearchParams();
  if (filter.functionLogicalId !== undefined) query.set('functionLogicalId', filter.functionLogicalId);
  if (filter.after !== undefined) query.set('after', String(filter.after));
  const { batches } = (await control('GET', `/__local/event-source-batches?${query}`)) as { batches: EventSourceBatch[] };
  return batches;
}

/** The sequence number of the latest batch so far (0 if none): a starting point for `after`. */
export async function latestBatchSequence(): Promise<number> {
  return (await eventSourceBatches()).at(-1)?.sequence ?? 0;
}
