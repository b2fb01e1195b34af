import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { compareSequenceNumbers, toLambdaAttributeValue, toLambdaRecord } from './stream-record.ts';

const context = { region: 'us-east-1', eventSourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2025-01-01T00:00:00.000' };

describe('toLambdaRecord', () => {
  it('writes the record as Lambda does: epoch seconds, the mapping region and ARN, no missing images', () => {
    const record: _Record = {
      eventID: 'e1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      dynamodb: {
        ApproximateCreationDateTime: new Date('2025-05-01T12:34:56.789Z'),
        Keys: { PK: { S: 'ORDER#1' } },
        NewImage: { PK: { S: 'ORDER#1' }, total: { N: '250' } },
        SequenceNumber: '000000000000000000042',
        SizeBytes: 31,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    const lambda = toLambdaRecord(record, context);
    expect(lambda).toEqual({
      eventID: 'e1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: 1746102896,
        Keys: { PK: { S: 'ORDER#1' } },
        NewImage: { PK: { S: 'ORDER#1' }, total: { N: '250' } },
        SequenceNumber: '000000000000000000042',
        SizeBytes: 31,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: context.eventSourceArn,
    });
    expect(Object.keys(lambda)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    expect(lambda.dynamodb).not.toHaveProperty('OldImage');
  });

  it('names the service for deletions by TTL', () => {
    const lambda = toLambdaRecord(
      { eventName: 'REMOVE', dynamodb: {}, userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } },
      context,
    );
    expect(lambda.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });
});

describe('toLambdaAttributeValue', () => {
  it('encodes binary as base64 and converts nested lists and maps', () => {
    expect(
      toLambdaAttributeValue({
        M: {
          bytes: { B: new Uint8Array([1, 2, 255]) },
          set: { BS: [new Uint8Array([0]), new Uint8Array([104, 105])] },
          list: { L: [{ N: '1' }, { NULL: true }, { BOOL: false }, { SS: ['x'] }, { NS: ['2'] }] },
        },
      }),
    ).toEqual({
      M: {
        bytes: { B: 'AQL/' },
        set: { BS: ['AA==', 'aGk='] },
        list: { L: [{ N: '1' }, { NULL: true }, { BOOL: false }, { SS: ['x'] }, { NS: ['2'] }] },
      },
    });
  });
});

describe('compareSequenceNumbers', () => {
  it('compares as numbers, whatever the length', () => {
    expect(compareSequenceNumbers('900', '1000')).toBe(-1);
    expect(compareSequenceNumbers('000000000000000000010', '9')).toBe(1);
    expect(compareSequenceNumbers('42', '000042')).toBe(0);
  });
});
