/**
 * What Lambda makes of a batch function's return value, for queue and stream sources alike
 * (the Lambda developer guide's "partial batch response" rules). Without
 * ReportBatchItemFailures any return is success. With it: a missing or null response, or an
 * empty or null `batchItemFailures` list, is complete success; a response that is not a
 * batch-response object, or an item whose `itemIdentifier` is missing, empty, not a string or
 * (our reading) not an identifier of this batch, fails the whole batch.
 */
export type BatchItemFailures =
  | { kind: 'success' }
  /** The identifiers reported as failed, each once, in the order reported. */
  | { kind: 'failed-items'; identifiers: string[] }
  | { kind: 'failure'; reason: string };

export function readBatchItemFailures(
  response: unknown,
  batchIdentifiers: readonly string[],
  options: { reportBatchItemFailures: boolean; identifierName: string },
): BatchItemFailures {
  if (!options.reportBatchItemFailures || response === undefined || response === null) {
    return { kind: 'success' };
  }
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { kind: 'failure', reason: 'the response is not a batch response object' };
  }
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) {
    return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  }
  const known = new Set(batchIdentifiers);
  const failed = new Set<string>();
  for (const item of failures as unknown[]) {
    const identifier =
      typeof item === 'object' && item !== null ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof identifier !== 'string' || identifier === '') {
      return { kind: 'failure', reason: 'a batch item failure has no itemIdentifier' };
    }
    if (!known.has(identifier)) {
      return { kind: 'failure', reason: `itemIdentifier ${identifier} is not a ${options.identifierName} of this batch` };
    }
    failed.add(identifier);
  }
  return failed.size === 0 ? { kind: 'success' } : { kind: 'failed-items', identifiers: [...failed] };
}
