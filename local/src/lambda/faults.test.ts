import { describe, expect, it } from 'vitest';
import { decideFault, textFault, withBatchItemFailures } from './faults.ts';

const sqsRecord = (messageId: string, body: string) => ({ messageId, body, eventSource: 'aws:sqs' });
const streamRecord = (sequenceNumber: string, id: string) => ({ eventSource: 'aws:dynamodb', dynamodb: { SequenceNumber: sequenceNumber, Keys: { PK: { S: id } } } });

describe('decideFault', () => {
  it('leaves events the rule does not match alone', () => {
    expect(decideFault(textFault('order-9'), { Records: [sqsRecord('m1', 'order-1')] })).toEqual({ kind: 'none' });
    expect(decideFault(textFault('order-9'), { httpMethod: 'GET', path: '/orders/order-1' })).toEqual({ kind: 'none' });
  });

  it('fails a whole non-batch event that matches', () => {
    expect(decideFault(textFault('order-1'), { path: '/orders/order-1' })).toEqual({
      kind: 'fail',
      error: { errorType: 'LocalFault', errorMessage: 'Injected by the local cloud: a fault rule matched the event', trace: [] },
    });
  });

  it('fails the invocation when every record of a batch matches', () => {
    const decision = decideFault(textFault('order'), { Records: [sqsRecord('m1', 'order-1'), sqsRecord('m2', 'order-2')] });
    expect(decision).toMatchObject({ kind: 'fail', error: { errorType: 'LocalFault', errorMessage: expect.stringContaining('2 of 2 records') } });
  });

  it('removes the matching SQS records and reports them as batch item failures', () => {
    const event = { Records: [sqsRecord('m1', 'order-1'), sqsRecord('m2', 'order-2'), sqsRecord('m3', 'order-3')] };
    const decision = decideFault(textFault('order-2'), event);
    expect(decision).toMatchObject({
      kind: 'partial',
      event: { Records: [sqsRecord('m1', 'order-1'), sqsRecord('m3', 'order-3')] },
      failures: [{ itemIdentifier: 'm2' }],
    });
  });

  it('names stream records by sequence number', () => {
    const decision = decideFault(textFault('B'), { Records: [streamRecord('100', 'A'), streamRecord('200', 'B')] });
    expect(decision).toMatchObject({ kind: 'partial', failures: [{ itemIdentifier: '200' }] });
  });

  it('uses the error a rule returns', () => {
    const rule = textFault('order-1', { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 10.00 seconds' });
    expect(decideFault(rule, { Records: [sqsRecord('m1', 'order-1')] })).toMatchObject({
      kind: 'fail',
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 10.00 seconds' },
    });
    expect(decideFault(() => new TypeError('custom'), { anything: true })).toMatchObject({ kind: 'fail', error: { errorType: 'TypeError', errorMessage: 'custom' } });
  });
});

describe('withBatchItemFailures', () => {
  const failures = [{ itemIdentifier: 'm2' }];

  it('adds the injected failures to what the handler reported', () => {
    expect(withBatchItemFailures({ batchItemFailures: [{ itemIdentifier: 'm1' }] }, failures)).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }],
    });
  });

  it('turns an empty or unrelated response into a batch response', () => {
    expect(withBatchItemFailures(undefined, failures)).toEqual({ batchItemFailures: failures });
    expect(withBatchItemFailures(null, failures)).toEqual({ batchItemFailures: failures });
    expect(withBatchItemFailures({ batchItemFailures: [] }, failures)).toEqual({ batchItemFailures: failures });
  });
});

describe('textFault', () => {
  it('needs something to match', () => {
    expect(() => textFault('')).toThrow('non-empty');
  });

  it('runs the whole event for an after-work fault and then fails it', () => {
    const timedOut = Object.assign(new Error('Task timed out'), { name: 'Sandbox.Timedout' });
    const event = { path: '/orders' };
    expect(decideFault(() => ({ afterWork: timedOut }), event)).toEqual({
      kind: 'after-work',
      event,
      error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out', trace: [] },
    });
  });

  it('fails a whole batch after the work when one record draws an after-work fault, without the records that failed before it', () => {
    const timedOut = Object.assign(new Error('Task timed out'), { name: 'Sandbox.Timedout' });
    const records = [streamRecord('1', 'a'), streamRecord('2', 'late'), streamRecord('3', 'poison')];
    const rule = (record: unknown) => (JSON.stringify(record).includes('late') ? { afterWork: timedOut } : JSON.stringify(record).includes('poison'));
    expect(decideFault(rule, { Records: records })).toMatchObject({
      kind: 'after-work',
      event: { Records: [records[0], records[1]] },
      error: { errorType: 'Sandbox.Timedout' },
    });
  });
});
