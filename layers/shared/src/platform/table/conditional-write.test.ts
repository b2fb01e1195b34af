import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { cancellationCodes, conditionalWrite } from './conditional-write.ts';

describe('conditionalWrite', () => {
  it('is true when the write went through, false when its condition refused it', async () => {
    expect(await conditionalWrite(async () => undefined)).toBe(true);
    const refused = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    expect(await conditionalWrite(() => Promise.reject(refused))).toBe(false);
  });

  it('lets any other error through', async () => {
    await expect(conditionalWrite(() => Promise.reject(new Error('throttled')))).rejects.toThrow('throttled');
  });
});

describe('cancellationCodes', () => {
  it("lists a cancelled transaction's reasons in the order of its items", () => {
    const cancelled = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }],
    });
    expect(cancellationCodes(cancelled)).toEqual(['None', 'ConditionalCheckFailed', 'TransactionConflict']);
  });

  it('is an empty list for a cancellation without reasons, and undefined for any other error', () => {
    expect(cancellationCodes(new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {} }))).toEqual([]);
    expect(cancellationCodes(new Error('throttled'))).toBeUndefined();
  });
});
