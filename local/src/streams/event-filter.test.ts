import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { compileFilterCriteria, InvalidFilterCriteriaError } from './event-filter.ts';

function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', newImage?: Record<string, { S: string } | { N: string }>): DynamoDBRecord {
  return {
    eventID: '1',
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      Keys: { PK: { S: 'ORDER#1' } },
      ...(newImage !== undefined && { NewImage: newImage }),
      ...(eventName !== 'INSERT' && { OldImage: { PK: { S: 'ORDER#1' }, status: { S: 'PENDING' } } }),
      SequenceNumber: '111',
      SizeBytes: 26,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/x',
  };
}

const pattern = (value: unknown) => ({ Pattern: JSON.stringify(value) });

describe('compileFilterCriteria', () => {
  it('lets everything through without criteria or filters', () => {
    expect(compileFilterCriteria(undefined)(record('INSERT'))).toBe(true);
    expect(compileFilterCriteria({ Filters: [] })(record('REMOVE'))).toBe(true);
  });

  it('matches attribute values in DynamoDB JSON, as in "Using event filtering with a DynamoDB event source"', () => {
    const accepts = compileFilterCriteria({ Filters: [pattern({ dynamodb: { NewImage: { status: { S: ['PAID'] } } } })] });
    expect(accepts(record('MODIFY', { PK: { S: 'ORDER#1' }, status: { S: 'PAID' } }))).toBe(true);
    expect(accepts(record('MODIFY', { PK: { S: 'ORDER#1' }, status: { S: 'SHIPPED' } }))).toBe(false);
    // A REMOVE has no NewImage: the field is missing, so the pattern cannot match.
    expect(accepts(record('REMOVE'))).toBe(false);
  });

  it('ORs the filters: a record matching any one of them goes to the function', () => {
    const accepts = compileFilterCriteria({
      Filters: [pattern({ eventName: ['INSERT'] }), pattern({ dynamodb: { Keys: { PK: { S: [{ prefix: 'CUSTOMER#' }] } } } })],
    });
    expect(accepts(record('INSERT'))).toBe(true);
    expect(accepts(record('MODIFY'))).toBe(false);
  });

  it('ANDs the fields within one pattern and supports the comparison operators', () => {
    const accepts = compileFilterCriteria({
      Filters: [
        pattern({
          eventName: [{ 'anything-but': ['REMOVE'] }],
          dynamodb: { OldImage: { status: { S: [{ exists: false }] } }, NewImage: { status: { S: [{ prefix: 'PA' }] } } },
        }),
      ],
    });
    expect(accepts(record('INSERT', { status: { S: 'PAID' } }))).toBe(true);
    // MODIFY has an OldImage status.
    expect(accepts(record('MODIFY', { status: { S: 'PAID' } }))).toBe(false);
    expect(accepts(record('INSERT', { status: { S: 'SHIPPED' } }))).toBe(false);
  });

  it('compares DynamoDB numbers as the strings the stream carries', () => {
    const accepts = compileFilterCriteria({ Filters: [pattern({ dynamodb: { NewImage: { total: { N: ['250'] } } } })] });
    expect(accepts(record('INSERT', { total: { N: '250' } }))).toBe(true);
    expect(accepts(record('INSERT', { total: { N: '251' } }))).toBe(false);
  });

  it('refuses what CreateEventSourceMapping refuses, naming the filter', () => {
    expect(() => compileFilterCriteria({ Filters: [{ Pattern: '{"eventName": ' }] })).toThrow(InvalidFilterCriteriaError);
    expect(() => compileFilterCriteria({ Filters: [pattern({ eventName: ['INSERT'] }), { Pattern: '{"eventName":"INSERT"}' }] })).toThrow(
      /Filters\[1\]/,
    );
    expect(() => compileFilterCriteria({ Filters: [{}] })).toThrow(/must be a JSON string/);
    const long = pattern({ eventName: ['x'.repeat(4100)] });
    expect(() => compileFilterCriteria({ Filters: [long] })).toThrow(/4096/);
    expect(() => compileFilterCriteria({ Filters: Array.from({ length: 11 }, () => pattern({ eventName: ['INSERT'] })) })).toThrow(/at most 10/);
  });
});
