/**
 * The invocation record Lambda sends to a stream mapping's on-failure destination (SQS or SNS)
 * when it discards records ("Retain discarded records for a DynamoDB event source"). It
 * describes where the records are in the stream; it does not carry the records themselves.
 */

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface StreamOnFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: DiscardCondition;
    approximateInvokeCount: number;
  };
  /** The last invocation's result; absent when the records never reached the function. */
  responseContext?: {
    statusCode: number;
    executedVersion: string;
    functionError?: string;
  };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface DiscardedRecord {
  sequenceNumber: string;
  /** `ApproximateCreationDateTime` in epoch seconds, as in the event. */
  approximateCreationDateTime: number;
}

export interface LastInvocation {
  requestId: string;
  /** True when the function threw or timed out, false when it returned (partial failure). */
  functionError: boolean;
}

export interface OnFailureRecordInput {
  functionArn: string;
  streamArn: string;
  shardId: string;
  condition: DiscardCondition;
  approximateInvokeCount: number;
  lastInvocation: LastInvocation | undefined;
  /** Discarded records in stream order; at least one. */
  records: readonly DiscardedRecord[];
  discardedAt: Date;
  /** For records that never reached the function, there is no invocation to take an id from. */
  newRequestId: () => string;
}

export function buildOnFailureRecord(input: OnFailureRecordInput): StreamOnFailureRecord {
  const first = input.records[0];
  const last = input.records.at(-1);
  if (first === undefined || last === undefined) {
    throw new RangeError('An on-failure record describes at least one record');
  }
  const invocation = input.lastInvocation;
  return {
    requestContext: {
      requestId: invocation?.requestId ?? input.newRequestId(),
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    ...(invocation !== undefined && {
      // A function error is reported by Invoke as 200 with FunctionError "Unhandled".
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(invocation.functionError && { functionError: 'Unhandled' }),
      },
    }),
    version: '1.0',
    timestamp: input.discardedAt.toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: isoSeconds(first.approximateCreationDateTime),
      approximateArrivalOfLastRecord: isoSeconds(last.approximateCreationDateTime),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
  };
}

/** "2019-11-14T00:13:19Z": stream arrival times have whole seconds, written without millis. */
function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
