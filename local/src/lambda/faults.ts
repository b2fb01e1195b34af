import type { LambdaError } from './invocation.ts';

/**
 * Local fault injection: make a function fail for chosen inputs without touching its code, to
 * see retries, partial batch responses and dead-letter queues at work. A local-cloud test
 * facility, not something Lambda has.
 *
 * A rule looks at each record of a batch event (SQS, DynamoDB or Kinesis stream) or, for any
 * other event, at the whole event, and answers `false` (run normally), `true` (fail with a
 * `LocalFault` error) or an `Error` (fail with that error).
 *
 * - Whole event (or every record of a batch) matched: the invocation fails as if the handler
 *   threw; the handler does not run.
 * - Some records of a batch matched: the handler runs with the others, and the matched ones are
 *   added to its response's `batchItemFailures`, as a handler that failed on them would report.
 *   That only means something to a mapping with `ReportBatchItemFailures`, as in Lambda.
 * - An `AfterWorkFault` (for the event, or for any record of a batch): the handler runs to the
 *   end, then the whole invocation fails with its error, as a function that timed out after its
 *   writes does (the work happened, the response was lost, the caller retries everything).
 */
export type FaultRule = (input: unknown) => boolean | Error | AfterWorkFault;

/** A verdict that lets the handler run, then fails the invocation with `error`. */
export interface AfterWorkFault {
  afterWork: Error;
}

export interface FaultDescription {
  functionLogicalId: string;
  /** What the rule matches, for listings (e.g. `records containing "abc"`). */
  description: string;
}

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'fail'; error: LambdaError }
  | { kind: 'partial'; event: { Records: unknown[] }; failures: Array<{ itemIdentifier: string }>; error: LambdaError }
  /** Run the handler with `event`, then fail the invocation with `error` whatever it returned. */
  | { kind: 'after-work'; event: unknown; error: LambdaError };

export const LOCAL_FAULT_ERROR_TYPE = 'LocalFault';

/** What the fault does to one invocation's event. */
export function decideFault(rule: FaultRule, event: unknown): FaultDecision {
  const records = batchRecords(event);
  if (records === undefined) {
    const verdict = rule(event);
    if (verdict === false) return { kind: 'none' };
    if (isAfterWork(verdict)) return { kind: 'after-work', event, error: faultError(verdict.afterWork, 'the event') };
    return { kind: 'fail', error: faultError(verdict, 'the event') };
  }
  const failed: Array<{ record: unknown; verdict: true | Error }> = [];
  const passed: unknown[] = [];
  let afterWork: Error | undefined;
  for (const record of records) {
    const verdict = rule(record);
    if (verdict === false) passed.push(record);
    else if (isAfterWork(verdict)) {
      passed.push(record);
      afterWork ??= verdict.afterWork;
    } else failed.push({ record, verdict });
  }
  // A timeout ends the whole invocation: every record is retried, the failed ones included.
  if (afterWork !== undefined) {
    const runWith = failed.length === 0 ? event : { ...(event as object), Records: passed };
    return { kind: 'after-work', event: runWith, error: faultError(afterWork, 'the batch') };
  }
  if (failed.length === 0) return { kind: 'none' };
  const first = failed[0]!;
  const error = faultError(first.verdict, `${failed.length} of ${records.length} records`);
  if (passed.length === 0) return { kind: 'fail', error };
  return {
    kind: 'partial',
    event: { ...(event as object), Records: passed },
    failures: failed.map(({ record }) => ({ itemIdentifier: itemIdentifierOf(record) })),
    error,
  };
}

/** The handler's response with the faulted records added to `batchItemFailures`. */
export function withBatchItemFailures(payload: unknown, failures: Array<{ itemIdentifier: string }>): unknown {
  const existing =
    typeof payload === 'object' && payload !== null && Array.isArray((payload as { batchItemFailures?: unknown }).batchItemFailures)
      ? ((payload as { batchItemFailures: unknown[] }).batchItemFailures)
      : [];
  const base = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload : {};
  return { ...base, batchItemFailures: [...existing, ...failures] };
}

/** A rule for the control endpoint: records (or events) whose JSON contains `text`. */
export function textFault(text: string, error?: { errorType?: string; errorMessage?: string }): FaultRule {
  if (text === '') throw new Error('A fault needs a non-empty text to match');
  return (input) => {
    if (!JSON.stringify(input).includes(text)) return false;
    if (error?.errorType === undefined && error?.errorMessage === undefined) return true;
    const custom = new Error(error.errorMessage ?? `Local fault: the input contains "${text}"`);
    custom.name = error.errorType ?? LOCAL_FAULT_ERROR_TYPE;
    return custom;
  };
}

function isAfterWork(verdict: true | Error | AfterWorkFault): verdict is AfterWorkFault {
  return typeof verdict === 'object' && !(verdict instanceof Error) && 'afterWork' in verdict;
}

function batchRecords(event: unknown): unknown[] | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const records = (event as { Records?: unknown }).Records;
  if (!Array.isArray(records) || records.length === 0) return undefined;
  return records.every((record) => itemIdentifierOf(record) !== '') ? records : undefined;
}

/** What a partial batch response names a record by: SQS message id, or stream sequence number. */
function itemIdentifierOf(record: unknown): string {
  if (typeof record !== 'object' || record === null) return '';
  const source = (record as { eventSource?: unknown }).eventSource;
  if (source === 'aws:sqs') return String((record as { messageId?: unknown }).messageId ?? '');
  if (source === 'aws:dynamodb') return String((record as { dynamodb?: { SequenceNumber?: unknown } }).dynamodb?.SequenceNumber ?? '');
  if (source === 'aws:kinesis') return String((record as { kinesis?: { sequenceNumber?: unknown } }).kinesis?.sequenceNumber ?? '');
  return '';
}

function faultError(verdict: true | Error, what: string): LambdaError {
  if (verdict instanceof Error) {
    return { errorType: verdict.name || LOCAL_FAULT_ERROR_TYPE, errorMessage: verdict.message, trace: [] };
  }
  return { errorType: LOCAL_FAULT_ERROR_TYPE, errorMessage: `Injected by the local cloud: a fault rule matched ${what}`, trace: [] };
}
