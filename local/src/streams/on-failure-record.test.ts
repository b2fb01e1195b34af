import { describe, expect, it } from 'vitest';
import { buildOnFailureRecord, type OnFailureRecordInput } from './on-failure-record.ts';

const input: OnFailureRecordInput = {
  functionArn: 'arn:aws:lambda:us-east-2:123456789012:function:myfunction',
  streamArn: 'arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2019-11-14T00:04:06.388',
  shardId: 'shardId-00000001573689847184-864758bb',
  condition: 'RetryAttemptsExhausted',
  approximateInvokeCount: 1,
  lastInvocation: { requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81', functionError: true },
  records: [{ sequenceNumber: '800000000003126276362', approximateCreationDateTime: Date.parse('2019-11-14T00:13:19Z') / 1000 }],
  discardedAt: new Date('2019-11-14T00:13:49.717Z'),
  newRequestId: () => 'fresh-id',
};

describe('buildOnFailureRecord', () => {
  it('reproduces the invocation record of the Lambda developer guide', () => {
    expect(buildOnFailureRecord(input)).toEqual({
      requestContext: {
        requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81',
        functionArn: 'arn:aws:lambda:us-east-2:123456789012:function:myfunction',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 1,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2019-11-14T00:13:49.717Z',
      DDBStreamBatchInfo: {
        shardId: 'shardId-00000001573689847184-864758bb',
        startSequenceNumber: '800000000003126276362',
        endSequenceNumber: '800000000003126276362',
        approximateArrivalOfFirstRecord: '2019-11-14T00:13:19Z',
        approximateArrivalOfLastRecord: '2019-11-14T00:13:19Z',
        batchSize: 1,
        streamArn: 'arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2019-11-14T00:04:06.388',
      },
    });
  });

  it('spans the first to the last discarded record', () => {
    const record = buildOnFailureRecord({
      ...input,
      records: [
        { sequenceNumber: '10', approximateCreationDateTime: 1_700_000_000 },
        { sequenceNumber: '11', approximateCreationDateTime: 1_700_000_001 },
        { sequenceNumber: '15', approximateCreationDateTime: 1_700_000_060 },
      ],
    });
    expect(record.DDBStreamBatchInfo).toMatchObject({
      startSequenceNumber: '10',
      endSequenceNumber: '15',
      approximateArrivalOfFirstRecord: '2023-11-14T22:13:20Z',
      approximateArrivalOfLastRecord: '2023-11-14T22:14:20Z',
      batchSize: 3,
    });
  });

  it('leaves out functionError after a partial failure, and responseContext when nothing was invoked', () => {
    expect(buildOnFailureRecord({ ...input, lastInvocation: { requestId: 'r', functionError: false } }).responseContext).toEqual({
      statusCode: 200,
      executedVersion: '$LATEST',
    });
    const neverInvoked = buildOnFailureRecord({ ...input, condition: 'RecordAgeExceeded', approximateInvokeCount: 0, lastInvocation: undefined });
    expect(neverInvoked).not.toHaveProperty('responseContext');
    expect(neverInvoked.requestContext).toMatchObject({ requestId: 'fresh-id', condition: 'RecordAgeExceeded', approximateInvokeCount: 0 });
  });
});
