import { describe, expect, it } from 'vitest';
import { RecentPages } from './recent-pages.ts';

function counting() {
  let reads = 0;
  return { load: async () => `read ${++reads}`, reads: () => reads };
}

describe('RecentPages', () => {
  it('serves a kept page to a caller that accepts its age, and reads again once it is older', async () => {
    let now = 0;
    const pages = new RecentPages<string>(10, () => now);
    const source = counting();
    expect(await pages.get('20|', 10, source.load)).toBe('read 1');
    now = 10_000;
    expect(await pages.get('20|', 10, source.load)).toBe('read 1');
    now = 10_001;
    expect(await pages.get('20|', 10, source.load)).toBe('read 2');
    expect(source.reads()).toBe(2);
  });

  it('always reads for a caller that sends no maxAge, and keeps what it read for the others', async () => {
    let now = 0;
    const pages = new RecentPages<string>(10, () => now);
    const source = counting();
    await pages.get('20|', 10, source.load);
    now = 1;
    expect(await pages.get('20|', undefined, source.load)).toBe('read 2');
    expect(await pages.get('20|', 10, source.load)).toBe('read 2');
    now = 2;
    expect(await pages.get('20|', 0, source.load)).toBe('read 3');
  });

  it('keeps pages apart by key, drops the oldest past its capacity, and keeps no failed read', async () => {
    const pages = new RecentPages<string>(2, () => 0);
    const source = counting();
    await pages.get('a', 10, source.load);
    await pages.get('b', 10, source.load);
    await pages.get('c', 10, source.load);
    expect(await pages.get('b', 10, source.load)).toBe('read 2');
    expect(await pages.get('a', 10, source.load)).toBe('read 4');
    await expect(pages.get('d', 10, () => Promise.reject(new Error('throttled')))).rejects.toThrow('throttled');
    expect(await pages.get('d', 10, source.load)).toBe('read 5');
  });
});
