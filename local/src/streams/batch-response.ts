import { readBatchItemFailures } from '../lambda/batch-item-failures.ts';
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
  const read = readBatchItemFailures(response, sequenceNumbers, { reportBatchItemFailures, identifierName: 'sequence number' });
  if (read.kind !== 'failed-items') return read;
  const lowest = read.identifiers.reduce((low, next) => (compareSequenceNumbers(next, low) < 0 ? next : low));
  return { kind: 'partial', firstFailedIndex: sequenceNumbers.indexOf(lowest) };
}
