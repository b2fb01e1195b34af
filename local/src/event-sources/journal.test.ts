import { describe, expect, it } from 'vitest';
import { EventSourceJournal } from './journal.ts';

describe('EventSourceJournal', () => {
  it('keeps the newest entries up to its capacity, numbered in order', () => {
    const journal = new EventSourceJournal(2);
    for (const id of ['m1', 'm2', 'm3']) {
      journal.record({ functionLogicalId: 'F', source: 'sqs', sourceLogicalId: 'Q', itemIds: [id], failedItemIds: [], outcome: 'success' });
    }
    expect(journal.list().map((entry) => [entry.sequence, entry.itemIds[0]])).toEqual([
      [2, 'm2'],
      [3, 'm3'],
    ]);
  });
});
