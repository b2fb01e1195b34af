import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { QueueRegistry } from '../sqs/registry.ts';
import { interpretBatchResponse, toSqsEvent } from './sqs-lambda-event.ts';

describe('toSqsEvent', () => {
  it('builds the record Lambda delivers for an SQS message', async () => {
    const clock = new ManualClock();
    const queue = new QueueRegistry({ clock }).create('orders');
    const sentAt = clock.now();
    queue.send({
      body: 'Test message.',
      senderId: 'AIDAIENQZJOLO23YVJ4VO',
      awsTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
      messageAttributes: {
        myAttribute: { DataType: 'String', StringValue: 'myValue' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array(Buffer.from('1100')) },
      },
    });
    clock.advance(2);
    const messages = await queue.receive();

    const { Records } = toSqsEvent(messages, queue);
    expect(Records).toEqual([
      {
        messageId: messages[0]?.messageId,
        receiptHandle: messages[0]?.receiptHandle,
        body: 'Test message.',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(sentAt),
          SenderId: 'AIDAIENQZJOLO23YVJ4VO',
          ApproximateFirstReceiveTimestamp: String(sentAt + 2),
          AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
        },
        messageAttributes: {
          myAttribute: { stringValue: 'myValue', stringListValues: [], binaryListValues: [], dataType: 'String' },
          blob: { binaryValue: 'MTEwMA==', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
        },
        md5OfMessageAttributes: messages[0]?.md5OfMessageAttributes,
        // As in the Lambda developer guide's example event for the same body.
        md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:orders',
        awsRegion: 'us-east-1',
      },
    ]);
  });

  it('leaves md5OfMessageAttributes out and messageAttributes empty without attributes', async () => {
    const queue = new QueueRegistry().create('plain');
    queue.send({ body: 'test' });
    const [record] = toSqsEvent(await queue.receive(), queue).Records;
    expect(record?.messageAttributes).toEqual({});
    expect(record).not.toHaveProperty('md5OfMessageAttributes');
    // The MD5 from the Lambda developer guide's example record for the body "test".
    expect(record?.md5OfBody).toBe('098f6bcd4621d373cade4e832627b4f6');
  });
});

describe('interpretBatchResponse', () => {
  const ids = ['m1', 'm2', 'm3'];

  it('ignores the response without ReportBatchItemFailures', () => {
    expect(interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: 'm1' }] }, ids, false)).toEqual({
      kind: 'success',
    });
  });

  it.each([
    ['no response', undefined],
    ['a null response', null],
    ['an empty object', {}],
    ['a null list', { batchItemFailures: null }],
    ['an empty list', { batchItemFailures: [] }],
  ])('treats %s as complete success', (_, response) => {
    expect(interpretBatchResponse(response, ids, true)).toEqual({ kind: 'success' });
  });

  it('reports the listed messages as failed', () => {
    expect(
      interpretBatchResponse(
        { batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }, { itemIdentifier: 'm2' }] },
        ids,
        true,
      ),
    ).toEqual({ kind: 'partial', failedMessageIds: ['m2', 'm3'] });
  });

  it.each([
    ['a string response', 'ok'],
    ['an array response', [{ itemIdentifier: 'm1' }]],
    ['a non-list batchItemFailures', { batchItemFailures: 'm1' }],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemIdentifer: 'm1' }] }],
    ['an unknown message ID', { batchItemFailures: [{ itemIdentifier: 'receipt-handle-instead' }] }],
  ])('fails the whole batch for %s', (_, response) => {
    expect(interpretBatchResponse(response, ids, true)).toMatchObject({ kind: 'failure' });
  });
});
