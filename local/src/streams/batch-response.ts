import { compareSequenceNumbers } from './stream-record.ts';

/**
 * How Lambda reads a stream function's return value ("Configuring partial batch response with
 * DynamoDB and Lambda"). Without ReportBatchItemFailures any return is success: Lambda ignores
 * the response. With it:
 * - success: a null or missing response, or an empty or null `batchItemFailures` list;
 * - partial: every item names a sequence number of the batch; Lambda checkpoints before the
 *   lowest one and retries from there;
 * - complete failure: an item whose `itemIdentifier` is empty, null, missing ("a bad key name"),
 *   or (our reading) not a sequence number of this batch, or a response that is not a batch
 *   response object at all.
 */
export type StreamBatchOutcome =
  | { kind: 'success' }
  /** `firstFailedIndex` indexes the batch: the records before it are done. */
  | { kind: 'partial'; firstFailedIndex: number }
  | { kind: 'failure'; reason: string };

export function interpretStreamBatchResponse(
  response: unknown,
  sequenceNumbers: readonly string[],
  reportBatchItemFailures: boolean,
): StreamBatchOutcome {
  if (!reportBatchItemFailures || response === undefined || response === null) {
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
  if (failures.length === 0) return { kind: 'success' };

  const identifiers: string[] = [];
  for (const failure of failures as unknown[]) {
    const identifier =
      typeof failure === 'object' && failure !== null
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (typeof identifier !== 'string' || identifier === '') {
      return { kind: 'failure', reason: 'a batch item failure has no itemIdentifier' };
    }
    if (!sequenceNumbers.includes(identifier)) {
      return { kind: 'failure', reason: `itemIdentifier ${identifier} is not a sequence number of this batch` };
    }
    identifiers.push(identifier);
  }
  const lowest = identifiers.reduce((low, next) => (compareSequenceNumbers(next, low) < 0 ? next : low));
  return { kind: 'partial', firstFailedIndex: sequenceNumbers.indexOf(lowest) };
}
