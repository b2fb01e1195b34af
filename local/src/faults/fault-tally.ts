/** What the faults did: counts by kind and by function, and which orders they touched. */
export interface FaultTallySnapshot {
  /** `<function or DynamoDB>: <kind>` → count. */
  injected: Record<string, number>;
  total: number;
  /** Orders whose events, records or DynamoDB items a fault hit (ids found in the input). */
  ordersTouched: number;
}

// The id may sit in JSON inside JSON (an SQS body holding an SNS envelope), with escaped quotes.
const ORDER_ID = /(?:\\*"orderId\\*"\s*:\s*\\*"|ORDER#|SIMULATED_PAYMENT#)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g;

export class FaultTally {
  private readonly counts = new Map<string, number>();
  private readonly orders = new Map<string, number>();

  record(where: string, kind: string, inputText: string): void {
    const key = `${where}: ${kind}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    for (const orderId of new Set([...inputText.matchAll(ORDER_ID)].map((match) => match[1]!))) {
      this.orders.set(orderId, (this.orders.get(orderId) ?? 0) + 1);
    }
  }

  /** How many faults hit this order (0: none did). */
  faultsOn(orderId: string): number {
    return this.orders.get(orderId) ?? 0;
  }

  snapshot(): FaultTallySnapshot {
    const injected = Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
    return { injected, total: [...this.counts.values()].reduce((sum, count) => sum + count, 0), ordersTouched: this.orders.size };
  }
}
