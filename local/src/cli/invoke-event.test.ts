import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvokeUsageError, parseInvokeArguments, readEventFile, SAMPLE_PRODUCT_ID, withSeededIds } from './invoke-event.ts';

describe('npm run invoke arguments and events', () => {
  it('reads the function and the event file, in either order', () => {
    expect(parseInvokeArguments(['GetOrderFunction', '-e', 'events/get-order.json'])).toEqual({ functionLogicalId: 'GetOrderFunction', eventPath: 'events/get-order.json' });
    expect(parseInvokeArguments(['--event', 'x.json', 'GetOrderFunction'])).toEqual({ functionLogicalId: 'GetOrderFunction', eventPath: 'x.json' });
    expect(parseInvokeArguments(['GetOrderFunction'])).toEqual({ functionLogicalId: 'GetOrderFunction' });
  });

  it('refuses what it cannot read, saying how to call it', () => {
    expect(() => parseInvokeArguments([])).toThrow(/^Usage: npm run invoke/);
    expect(() => parseInvokeArguments(['A', 'B'])).toThrow(/^Usage/);
    expect(() => parseInvokeArguments(['A', '-e'])).toThrow('-e needs the path of an event file');
    expect(() => parseInvokeArguments(['A', '--env-vars', 'x'])).toThrow('Unknown option --env-vars');
  });

  it('names a missing or malformed event file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'invoke-event-'));
    await writeFile(join(directory, 'bad.json'), '{"a":');
    await expect(readEventFile(join(directory, 'none.json'))).rejects.toThrow(new InvokeUsageError(`No event file ${join(directory, 'none.json')}`));
    await expect(readEventFile(join(directory, 'bad.json'))).rejects.toThrow(`The event file ${join(directory, 'bad.json')} is not JSON:`);
  });

  it('replaces the sample product id with the first seeded product, inside strings too', () => {
    const event = { pathParameters: { productId: SAMPLE_PRODUCT_ID }, body: JSON.stringify({ items: [{ productId: SAMPLE_PRODUCT_ID }] }) };
    expect(withSeededIds(JSON.stringify(event), [{ productId: 'p-1' }, { productId: 'p-2' }])).toEqual({
      pathParameters: { productId: 'p-1' },
      body: JSON.stringify({ items: [{ productId: 'p-1' }] }),
    });
    expect(withSeededIds(JSON.stringify(event), [])).toEqual(event);
  });
});
