import { describe, expect, it } from 'vitest';
import { catalogSortKey } from './keys.ts';

describe('catalogSortKey', () => {
  it('orders the catalog as its names sort, case-insensitively: a name before the longer names it begins', () => {
    const names = ['Mugs', 'mug large', 'Mug', 'mug-cup', 'Kettle', 'mug large blue'];
    const id = (name: string) => `00000000-0000-4000-8000-${String(names.indexOf(name)).padStart(12, '0')}`;
    // DynamoDB orders string sort keys by their UTF-8 bytes, as JavaScript's default sort does for these ASCII keys.
    const byKey = [...names].sort((a, b) => (catalogSortKey(a, id(a)) < catalogSortKey(b, id(b)) ? -1 : 1));
    expect(byKey).toEqual(['Kettle', 'Mug', 'mug large', 'mug large blue', 'mug-cup', 'Mugs']);
  });

  it('breaks a tie between two products of one name by their ids', () => {
    const first = catalogSortKey('Mug', '00000000-0000-4000-8000-000000000001');
    const second = catalogSortKey('MUG', '00000000-0000-4000-8000-000000000002');
    expect(first < second).toBe(true);
  });
});
