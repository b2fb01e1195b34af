import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, TrimmedDataAccessException } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseOnFailureRecord, replayStreamFailures } from './stream-failures.ts';

const STREAM = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000';
const FUNCTION = 'arn:aws:lambda:eu-west-1:123456789012:function:orders-PublishOrderEvents';

const onFailure = (start: string, end: string) =>
  JSON.stringify({
    requestContext: { requestId: 'r', functionArn: FUNCTION, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 51 },
    version: '1.0',
    timestamp: '2026-01-01T00:00:00.000Z',
    DDBStreamBatchInfo: { shardId: 'shard-1', startSequenceNumber: start, endSequenceNumber: end, approximateArrivalOfFirstRecord: '', approximateArrivalOfLastRecord: '', batchSize: 2, streamArn: STREAM },
  });

const streamRecord = (sequenceNumber: string) => ({
  eventID: `e${sequenceNumber}`,
  eventName: 'MODIFY' as const,
  eventSource: 'aws:dynamodb',
  dynamodb: { SequenceNumber: sequenceNumber, ApproximateCreationDateTime: new Date(1_700_000_000_000), Keys: { PK: { S: `ORDER#${sequenceNumber}` } } },
});

describe('parseOnFailureRecord', () => {
  it('reads the function, stream, shard and range of a DynamoDB stream on-failure record', () => {
    expect(parseOnFailureRecord(onFailure('100', '300'))).toEqual({ functionArn: FUNCTION, streamArn: STREAM, shardId: 'shard-1', startSequenceNumber: '100', endSequenceNumber: '300' });
  });

  it.each([['not json'], ['{"DDBStreamBatchInfo":{}}'], [onFailure('300', '100')], [onFailure('abc', '100')]])('refuses %s as malformed', (body) => {
    expect(() => parseOnFailureRecord(body)).toThrow();
  });
});

describe('replayStreamFailures', () => {
  const sqs = mockClient(SQSClient);
  const streams = mockClient(DynamoDBStreamsClient);
  const lambda = mockClient(LambdaClient);
  const clients = { sqs: new SQSClient({}), streams: new DynamoDBStreamsClient({}), lambda: new LambdaClient({}) };
  const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;

  beforeEach(() => {
    sqs.reset();
    streams.reset();
    lambda.reset();
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [{ MessageId: 'm1', ReceiptHandle: 'h1', Body: onFailure('100', '300') }] }).resolves({ Messages: [] });
    streams.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
  });

  it('re-reads the range AT_SEQUENCE_NUMBER, invokes the function with the records as its stream event, then deletes the message', async () => {
    streams
      .on(GetRecordsCommand, { ShardIterator: 'it-1' })
      .resolves({ Records: [streamRecord('100'), streamRecord('200')], NextShardIterator: 'it-2' })
      .on(GetRecordsCommand, { ShardIterator: 'it-2' })
      .resolves({ Records: [streamRecord('300'), streamRecord('400')], NextShardIterator: 'it-3' });
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ batchItemFailures: [] }) });

    const report = await replayStreamFailures(clients, { queueUrl: 'q' });

    expect(report).toEqual({ replayed: [{ messageId: 'm1', shardId: 'shard-1', sequenceNumbers: { start: '100', end: '300' }, records: 3 }], kept: [] });
    expect(streams.commandCalls(GetShardIteratorCommand)[0]!.args[0].input).toEqual({ StreamArn: STREAM, ShardId: 'shard-1', ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '100' });
    const invoked = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(invoked.FunctionName).toBe(FUNCTION);
    const event = JSON.parse(String(invoked.Payload)) as { Records: Array<Record<string, any>> };
    expect(event.Records.map((record) => record.dynamodb.SequenceNumber)).toEqual(['100', '200', '300']);
    expect(event.Records[0]).toMatchObject({ eventID: 'e100', eventSource: 'aws:dynamodb', awsRegion: 'eu-west-1', eventSourceARN: STREAM, dynamodb: { ApproximateCreationDateTime: 1_700_000_000 } });
    expect(sqs.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input.ReceiptHandle)).toEqual(['h1']);
  });

  it('keeps the message, visible again, when the records are past the stream’s retention', async () => {
    streams.on(GetShardIteratorCommand).rejects(new TrimmedDataAccessException({ message: 'trimmed', $metadata: {} }));

    const report = await replayStreamFailures(clients, { queueUrl: 'q' });

    expect(report.replayed).toEqual([]);
    expect(report.kept).toEqual([expect.objectContaining({ messageId: 'm1', reason: 'past-retention' })]);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input).toMatchObject({ ReceiptHandle: 'h1', VisibilityTimeout: 0 });
  });

  it('keeps the message when the stream starts after the record named (it was trimmed)', async () => {
    streams.on(GetRecordsCommand).resolves({ Records: [streamRecord('250')], NextShardIterator: 'it-2' });
    const report = await replayStreamFailures(clients, { queueUrl: 'q' });
    expect(report.kept).toEqual([expect.objectContaining({ reason: 'past-retention' })]);
  });

  it('keeps the message when the function reports a failed record', async () => {
    streams.on(GetRecordsCommand).resolves({ Records: [streamRecord('100'), streamRecord('300')] });
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ batchItemFailures: [{ itemIdentifier: '300' }] }) });
    const report = await replayStreamFailures(clients, { queueUrl: 'q' });
    expect(report.kept).toEqual([expect.objectContaining({ reason: 'function-failed', detail: expect.stringContaining('300') })]);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('keeps the message when the function fails again', async () => {
    streams.on(GetRecordsCommand).resolves({ Records: [streamRecord('100'), streamRecord('300')] });
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload({ errorType: 'Boom' }) });
    const report = await replayStreamFailures(clients, { queueUrl: 'q' });
    expect(report.kept).toEqual([expect.objectContaining({ reason: 'function-failed', detail: expect.stringContaining('Boom') })]);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });
});
