import { describe, expect, it } from 'vitest';
import { InvalidStreamMappingError, streamMappingFromTemplate } from './mapping-config.ts';

const STREAM = 'arn:aws:dynamodb:ddblocal:000000000000:table/OrdersTable/stream/2026-01-01T00:00:00.000';

describe('streamMappingFromTemplate', () => {
  it('applies the documented defaults', () => {
    expect(streamMappingFromTemplate({ Stream: STREAM, StartingPosition: 'LATEST' })).toEqual({
      streamArn: STREAM,
      startingPosition: 'LATEST',
      batchSize: 100,
      maximumBatchingWindowInSeconds: 0,
      maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: -1,
      bisectBatchOnFunctionError: false,
      functionResponseTypes: [],
      filterCriteria: undefined,
      onFailureDestination: undefined,
      enabled: true,
    });
  });

  it('reads every supported property of a SAM DynamoDB event', () => {
    const filterCriteria = { Filters: [{ Pattern: '{"eventName":["INSERT","MODIFY"]}' }] };
    expect(
      streamMappingFromTemplate({
        Stream: STREAM,
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: '25',
        MaximumBatchingWindowInSeconds: 2,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 3600,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: filterCriteria,
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:stream-dlq' } },
        Enabled: false,
        ParallelizationFactor: 2,
      }),
    ).toEqual({
      streamArn: STREAM,
      startingPosition: 'TRIM_HORIZON',
      batchSize: 25,
      maximumBatchingWindowInSeconds: 2,
      maximumRetryAttempts: 3,
      maximumRecordAgeInSeconds: 3600,
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ['ReportBatchItemFailures'],
      filterCriteria,
      onFailureDestination: 'arn:aws:sqs:us-east-1:000000000000:stream-dlq',
      enabled: false,
    });
  });

  it.each([
    [{ StartingPosition: 'LATEST' }, /Stream/],
    [{ Stream: STREAM }, /StartingPosition/],
    [{ Stream: STREAM, StartingPosition: 'AT_TIMESTAMP' }, /StartingPosition/],
    [{ Stream: STREAM, StartingPosition: 'LATEST', BatchSize: 10_001 }, /BatchSize/],
    [{ Stream: STREAM, StartingPosition: 'LATEST', MaximumBatchingWindowInSeconds: 301 }, /MaximumBatchingWindowInSeconds/],
    [{ Stream: STREAM, StartingPosition: 'LATEST', MaximumRetryAttempts: -2 }, /MaximumRetryAttempts/],
    [{ Stream: STREAM, StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 59 }, /MaximumRecordAgeInSeconds/],
    [{ Stream: STREAM, StartingPosition: 'LATEST', FunctionResponseTypes: ['Other'] }, /FunctionResponseTypes/],
    [{ Stream: STREAM, StartingPosition: 'LATEST', FilterCriteria: { Filters: [{ Pattern: 'nope' }] } }, /Filters\[0\]/],
    [{ Stream: STREAM, StartingPosition: 'LATEST', DestinationConfig: { OnFailure: {} } }, /Destination/],
    [{ Stream: STREAM, StartingPosition: 'LATEST', TumblingWindowInSeconds: 60 }, /TumblingWindowInSeconds/],
  ])('refuses %j', (properties, message) => {
    expect(() => streamMappingFromTemplate(properties)).toThrow(InvalidStreamMappingError);
    expect(() => streamMappingFromTemplate(properties)).toThrow(message);
  });
});
