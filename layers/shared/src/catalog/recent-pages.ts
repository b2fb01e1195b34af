/**
 * Catalog pages kept for a few seconds in the function's memory, for callers that accept a
 * catalog that old (`GET /products?maxAge=10`: the shop's catalog page). Every list reads all
 * of the catalog index's shards, so at a sale's peak the shoppers' browsing, not the orders,
 * would fill those partitions (docs/scale.md, docs/decisions.md). A caller that sends no
 * `maxAge` (the admin pages, the API's tests) always reads the table and refreshes the copy:
 * what an admin just wrote is visible to it at once, as before.
 *
 * Each execution environment has its own copy, so DynamoDB sees at most one read per page key
 * per environment per `maxAge` seconds, whatever the request rate.
 */
export class RecentPages<T> {
  private readonly entries = new Map<string, { readAt: number; value: T }>();

  constructor(
    /** Pages kept at most (the oldest read is dropped first): a page is a few KB. */
    private readonly capacity = 200,
    private readonly now: () => number = Date.now,
  ) {}

  /** The page under `key`: the kept copy when it is at most `maxAgeSeconds` old, otherwise read by `load` (and kept). */
  async get(key: string, maxAgeSeconds: number | undefined, load: () => Promise<T>): Promise<T> {
    const kept = this.entries.get(key);
    if (kept !== undefined && maxAgeSeconds !== undefined && this.now() - kept.readAt <= maxAgeSeconds * 1000) return kept.value;
    const readAt = this.now();
    const value = await load();
    this.entries.delete(key);
    this.entries.set(key, { readAt, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
