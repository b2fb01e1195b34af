/**
 * The kinds of traffic the scale projection mixes (docs/scale.md), beside the shipped order's
 * journey that bench/run.ts measures already: a cancelled order, a catalog browse, a customer's
 * own orders, an admin's listing. Each is run `count` times on the bench's local cloud.
 */
import { type Mix, type ReadCache, zipfTopShare } from './scale.ts';

export interface ScaleJourneyContext {
  call: (method: string, route: string, token: string, body?: unknown) => Promise<Record<string, unknown>>;
  placeOrder: () => Promise<string>;
  /** Resolves once the order's saga waits for its shipment (the order is CONFIRMED). */
  awaitingShipment: (orderId: string) => Promise<void>;
  sagaFinished: (orderId: string) => Promise<void>;
  customerToken: string;
  adminToken: string;
}

export interface ScaleJourney {
  name: string;
  count: number;
  /** Runs the journey once; answers the order ids whose executions it caused. */
  run: (context: ScaleJourneyContext, index: number) => Promise<string[]>;
}

/** The shipped order's journey is bench/run.ts's own; its profile goes under this name. */
export const SHIPPED_ORDER = 'order, shipped';

export const SCALE_JOURNEYS: ScaleJourney[] = [
  {
    name: 'order, cancelled while awaiting shipment',
    count: 5,
    run: async (context) => {
      const orderId = await context.placeOrder();
      await context.awaitingShipment(orderId);
      await context.call('POST', `/orders/${orderId}/cancel`, context.customerToken);
      await context.sagaFinished(orderId);
      return [orderId];
    },
  },
  {
    // The shop's catalog page (web/src/pages/Catalog.tsx): one list of 12, no product page (the
    // list shows everything a shopper needs to add to the cart).
    name: 'catalog page (the shop: one list)',
    count: 10,
    run: async (context) => {
      // Without the shop's maxAge: every list reads the index, the cost a cache miss has (CATALOG_CACHE).
      await context.call('GET', '/products?limit=12', '');
      return [];
    },
  },
  {
    name: "customer's orders (list + one order)",
    count: 5,
    run: async (context) => {
      const page = await context.call('GET', '/orders?limit=20', context.customerToken);
      const first = (page.items as Array<{ orderId: string }> | undefined)?.[0];
      if (first !== undefined) await context.call('GET', `/orders/${first.orderId}`, context.customerToken);
      return [];
    },
  },
  {
    name: 'admin listing (orders by status)',
    count: 5,
    run: async (context) => {
      await context.call('GET', '/admin/orders?status=SHIPPED&limit=50', context.adminToken);
      return [];
    },
  },
];

/**
 * Per order at a sale's peak: most orders ship, some are cancelled; shoppers view the shop's
 * catalog page ten times and look at their orders once per order; admins list orders now and then.
 * An assumption, not a measurement: docs/scale.md shows how the answer moves with it.
 */
export const PEAK_MIX: Mix = {
  [SHIPPED_ORDER]: 0.9,
  'order, cancelled while awaiting shipment': 0.1,
  'catalog page (the shop: one list)': 10,
  "customer's orders (list + one order)": 1,
  'admin listing (orders by status)': 0.01,
};

/**
 * At the peak, the best-selling product takes this share of all orders (each of its orders
 * reads its item and writes its stock counters): popularity by Zipf's law over a catalog of 1,000
 * products (the k-th sells in proportion to 1/k), which gives the best seller 13.4%.
 */
export const CATALOG_PRODUCTS = 1000;
const BEST_SELLER = zipfTopShare(CATALOG_PRODUCTS);
export const HOT_SHARES = { 'PRODUCT#<id>': BEST_SELLER, 'STOCK#<id>#<counter>': BEST_SELLER };

/**
 * The journeys that touch the best seller every time, not in proportion to its sales: the shop's
 * catalog page shows it (assumed on the page every shopper reads, the worst case) and reads its
 * stock counters on every list that misses the cache.
 */
export const SHOWS_THE_BEST_SELLER = ['catalog page (the shop: one list)'];

/**
 * The shop's catalog page asks for pages at most 10 seconds old (web/src/pages/Catalog.tsx,
 * `maxAge`), served from the list function's memory (catalog/recent-pages.ts). Assumed: the
 * shoppers read 10 distinct pages (the first pages of the list; deeper pages are rare), Lambda
 * keeps twice as many environments as the average concurrency, and a list takes 50 ms in AWS
 * (16 parallel queries; the bench's local duration is printed beside it, and is load-dependent,
 * which would make the projection depend on the machine). The measured catalog page reads every
 * shard on every list (no maxAge): the projection keeps the misses' share of them.
 */
export const CATALOG_CACHE: ReadCache = {
  journey: 'catalog page (the shop: one list)',
  // A page served from memory reads neither the index nor its products' stock counters.
  partitionClasses: ['CATALOG#<shard>', 'STOCK#<id>#<counter>'],
  maxAgeSeconds: 10,
  pages: 10,
  environmentsPerConcurrency: 2,
  secondsPerRequest: 0.05,
};
