import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { withObservability } from '../platform/middleware.ts';
import { logger } from '../platform/observability.ts';
import type { OrderEvent } from './schemas.ts';
import { orderEventFromSqsRecord } from './sqs-message.ts';

// Records are processed one at a time, in order: each record's logs carry its own correlation
// id, and a stream's changes to one order are published in the order they happened.
const SEQUENTIAL = { processInParallel: false } as const;

/**
 * Logs a record's failure before handing it back to the batch processor (which only reports
 * the record as failed): without this, a poisoned record would be retried with no trace of why.
 */
const loggingFailures =
  <R>(handleRecord: (record: R) => Promise<void>, describe: (record: R) => Record<string, unknown>) =>
  async (record: R): Promise<void> => {
    try {
      await handleRecord(record);
    } catch (error) {
      logger.error('Record failed; it will be retried', { ...describe(record), error: error as Error });
      throw error;
    }
  };

/**
 * A DynamoDB stream handler with partial batch responses: a failed record is reported by its
 * sequence number, so Lambda retries from there without losing or skipping changes.
 */
export function streamBatchHandler(handleRecord: (record: DynamoDBRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return withObservability<DynamoDBStreamEvent, SQSBatchResponse>((event, context) =>
    processPartialResponse(
      event,
      loggingFailures(handleRecord, (record) => ({ eventId: record.eventID, sequenceNumber: record.dynamodb?.SequenceNumber })),
      processor,
      { context, ...SEQUENTIAL },
    ),
  );
}

/**
 * An SQS consumer of order events with partial batch responses: only the messages that failed
 * return to the queue (and reach its DLQ after maxReceiveCount). Every log line of a message
 * carries the correlation id of the request that caused the event.
 */
export function orderEventConsumer(handleEvent: (event: OrderEvent, record: SQSRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    const event = orderEventFromSqsRecord(record);
    logger.setCorrelationId(event.correlationId);
    logger.appendKeys({ eventId: event.eventId, eventType: event.type, orderId: event.data.orderId });
    await handleEvent(event, record);
  };
  return withObservability<SQSEvent, SQSBatchResponse>((event, context) =>
    processPartialResponse(
      event,
      loggingFailures(handleRecord, (record) => ({ messageId: record.messageId })),
      processor,
      { context, ...SEQUENTIAL },
    ),
  );
}
