/**
 * Which stock counters an order's reservation takes its units from (pure: the repository reads
 * the counters and writes the plan). A product's stock is split over `STOCK_COUNTERS` counter
 * items, each in its own partition (platform/table/keys.ts, docs/data-model.md).
 */

export interface ReservedLine {
  productId: string;
  quantity: number;
}

/** Units taken from one counter of one product; the reservation records them, so release and shipment return them to the same counter. */
export interface StockTake {
  productId: string;
  counter: number;
  quantity: number;
}

/** The order's quantity of each product: an order may name a product on two lines, and a transaction may write an item only once. */
export function quantitiesByProduct(lines: readonly ReservedLine[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.productId, (totals.get(line.productId) ?? 0) + line.quantity);
  return totals;
}

/**
 * The first guess, before anything is read: each product's whole quantity from one counter,
 * `start(productId)` (drawn at random), which is right whenever stock is plentiful, so the
 * common reservation reads nothing and writes one counter per product.
 */
export function guessTakes(lines: readonly ReservedLine[], start: (productId: string) => number): StockTake[] {
  return [...quantitiesByProduct(lines)].map(([productId, quantity]) => ({ productId, counter: start(productId), quantity }));
}

export type TakePlan = { takes: StockTake[] } | { short: string[] };

/**
 * Plans takes from the counters' available units (`available(productId)[counter]`, missing
 * counters 0). For each product: the first counter, from `start(productId)` on round the ring,
 * that holds the whole quantity alone (one write, as the guess); failing that, greedily across
 * the counters from `start` on, so a line may be split when no single counter has enough. The
 * products whose counters hold less than the quantity in all are `short`.
 */
export function planTakes(
  lines: readonly ReservedLine[],
  available: (productId: string) => readonly number[],
  counters: number,
  start: (productId: string) => number,
): TakePlan {
  const takes: StockTake[] = [];
  const short: string[] = [];
  for (const [productId, quantity] of quantitiesByProduct(lines)) {
    const units = available(productId);
    const first = start(productId);
    const ring = Array.from({ length: counters }, (_, step) => (first + step) % counters);
    const unitsIn = (counter: number) => Math.max(0, units[counter] ?? 0);
    const whole = ring.find((counter) => unitsIn(counter) >= quantity);
    if (whole !== undefined) {
      takes.push({ productId, counter: whole, quantity });
      continue;
    }
    let remaining = quantity;
    const split: StockTake[] = [];
    for (const counter of ring) {
      const take = Math.min(remaining, unitsIn(counter));
      if (take === 0) continue;
      split.push({ productId, counter, quantity: take });
      remaining -= take;
    }
    if (remaining > 0) short.push(productId);
    else takes.push(...split);
  }
  return short.length > 0 ? { short } : { takes };
}

/**
 * Spreads `stock` units over `counters` as evenly as whole units allow, the remainder on the
 * first counters: the available units `ProductRepository.setStock` writes.
 */
export function spreadStock(stock: number, counters: number): number[] {
  const even = Math.floor(stock / counters);
  return Array.from({ length: counters }, (_, counter) => even + (counter < stock % counters ? 1 : 0));
}
