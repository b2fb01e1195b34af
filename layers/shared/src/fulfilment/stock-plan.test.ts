import { describe, expect, it } from 'vitest';
import { guessTakes, planTakes, quantitiesByProduct, spreadStock } from './stock-plan.ts';

// Which counters a reservation takes from, given what each counter holds (index = counter).
const counters = (table: Record<string, number[]>) => (productId: string) => table[productId] ?? [];
const from = (start: number) => () => start;

describe('planTakes', () => {
  it.each([
    // [what, available per counter, start, quantity, expected takes as [counter, quantity]]
    ['the start counter when it holds the whole quantity', [5, 5, 5, 5], 2, 3, [[2, 3]]],
    ['the next counter round the ring that holds it all, before splitting', [5, 1, 0, 4], 1, 3, [[3, 3]]],
    ['wraps round from the last counter to the first', [4, 0, 0, 1], 3, 2, [[0, 2]]],
    ['split greedily from the start on when no counter holds it alone', [2, 1, 0, 2], 3, 4, [[3, 2], [0, 2]]],
    ['every unit when the quantity is the whole stock', [1, 2, 3, 4], 0, 10, [[0, 1], [1, 2], [2, 3], [3, 4]]],
    ['missing counters count 0', [0, 3], 2, 3, [[1, 3]]],
    ['a counter gone negative counts 0 (never taken from)', [-2, 3, 0, 0], 0, 3, [[1, 3]]],
  ])('takes from %s', (_, available, start, quantity, expected) => {
    expect(planTakes([{ productId: 'p', quantity }], counters({ p: available }), 4, from(start))).toEqual({
      takes: expected.map(([counter, units]) => ({ productId: 'p', counter, quantity: units })),
    });
  });

  it('names every product whose counters hold less than asked in all, and plans nothing', () => {
    const plan = planTakes(
      [
        { productId: 'plenty', quantity: 2 },
        { productId: 'scarce', quantity: 4 },
        { productId: 'never-stocked', quantity: 1 },
      ],
      counters({ plenty: [9, 9, 9, 9], scarce: [1, 1, 1, 0] }),
      4,
      from(0),
    );
    expect(plan).toEqual({ short: ['scarce', 'never-stocked'] });
  });

  it('plans a product named on two lines as one take of their sum (a transaction writes an item once)', () => {
    const plan = planTakes(
      [
        { productId: 'p', quantity: 2 },
        { productId: 'q', quantity: 1 },
        { productId: 'p', quantity: 3 },
      ],
      counters({ p: [0, 5, 0, 0], q: [1, 0, 0, 0] }),
      4,
      from(0),
    );
    expect(plan).toEqual({ takes: [{ productId: 'p', counter: 1, quantity: 5 }, { productId: 'q', counter: 0, quantity: 1 }] });
  });

  it('is short when two lines of a product together ask more than its counters hold', () => {
    expect(planTakes([{ productId: 'p', quantity: 2 }, { productId: 'p', quantity: 2 }], counters({ p: [1, 1, 1, 0] }), 4, from(0))).toEqual({ short: ['p'] });
  });

  it('draws the start once per product, and visits every counter once from it', () => {
    let draws = 0;
    // A different start on every draw: only the first may count.
    const drawing = () => [3, 0, 1, 2][draws++ % 4]!;
    const plan = planTakes([{ productId: 'p', quantity: 4 }], counters({ p: [1, 1, 1, 1] }), 4, drawing);
    expect(draws).toBe(1);
    expect(plan).toEqual({ takes: [3, 0, 1, 2].map((counter) => ({ productId: 'p', counter, quantity: 1 })) });
  });

  it('starts each product at its own counter', () => {
    const starts: Record<string, number> = { p: 1, q: 3 };
    const plan = planTakes([{ productId: 'p', quantity: 1 }, { productId: 'q', quantity: 1 }], counters({ p: [1, 1, 1, 1], q: [1, 1, 1, 1] }), 4, (id) => starts[id]!);
    expect(plan).toEqual({ takes: [{ productId: 'p', counter: 1, quantity: 1 }, { productId: 'q', counter: 3, quantity: 1 }] });
  });
});

describe('guessTakes', () => {
  it("takes each product's whole quantity from its start counter, lines of one product summed", () => {
    const starts: Record<string, number> = { p: 2, q: 0 };
    expect(guessTakes([{ productId: 'p', quantity: 1 }, { productId: 'q', quantity: 4 }, { productId: 'p', quantity: 2 }], (id) => starts[id]!)).toEqual([
      { productId: 'p', counter: 2, quantity: 3 },
      { productId: 'q', counter: 0, quantity: 4 },
    ]);
  });
});

describe('quantitiesByProduct', () => {
  it('sums the lines of each product, in the order products first appear', () => {
    expect([...quantitiesByProduct([{ productId: 'b', quantity: 1 }, { productId: 'a', quantity: 2 }, { productId: 'b', quantity: 3 }])]).toEqual([
      ['b', 4],
      ['a', 2],
    ]);
  });
});

describe('spreadStock', () => {
  it.each([
    [0, [0, 0, 0, 0]],
    [3, [1, 1, 1, 0]],
    [8, [2, 2, 2, 2]],
    [10, [3, 3, 2, 2]],
    [1_000_000, [250_000, 250_000, 250_000, 250_000]],
  ])('spreads %i units evenly, the remainder on the first counters', (stock, expected) => {
    const spread = spreadStock(stock, 4);
    expect(spread).toEqual(expected);
    expect(spread.reduce((sum, units) => sum + units, 0)).toBe(stock);
  });
});
