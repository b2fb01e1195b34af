import { describe, expect, it } from 'vitest';
import { interpretStreamBatchResponse } from './batch-response.ts';

const batch = ['100', '200', '1000'];

describe('interpretStreamBatchResponse', () => {
  it('ignores the response when ReportBatchItemFailures is off', () => {
    expect(interpretStreamBatchResponse({ batchItemFailures: [{ itemIdentifier: '200' }] }, batch, false)).toEqual({ kind: 'success' });
  });

  it.each([
    ['no response', undefined],
    ['a null response', null],
    ['an empty response', {}],
    ['a null list', { batchItemFailures: null }],
    ['an empty list', { batchItemFailures: [] }],
  ])('treats %s as complete success', (_, response) => {
    expect(interpretStreamBatchResponse(response, batch, true)).toEqual({ kind: 'success' });
  });

  it('retries from the lowest reported sequence number, compared as a number', () => {
    const response = { batchItemFailures: [{ itemIdentifier: '1000' }, { itemIdentifier: '200' }] };
    expect(interpretStreamBatchResponse(response, batch, true)).toEqual({ kind: 'partial', firstFailedIndex: 1 });
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a bad key name', { batchItemFailures: [{ itemId: '200' }] }],
    ['an identifier outside the batch', { batchItemFailures: [{ itemIdentifier: '300' }] }],
    ['a list that is not a list', { batchItemFailures: '200' }],
    ['a response that is not an object', 'done'],
  ])('treats %s as complete failure', (_, response) => {
    expect(interpretStreamBatchResponse(response, batch, true).kind).toBe('failure');
  });
});
