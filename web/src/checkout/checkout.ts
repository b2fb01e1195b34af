/**
 * One checkout, one Idempotency-Key. The key is made when the checkout starts and sent with
 * every attempt to place it: a double click joins the attempt in flight, and a retry after a
 * lost answer sends the same key, so the API returns the order it may already have made
 * instead of making a second. Only a placed order ends the checkout; the next one gets a new key.
 *
 * The key is kept in sessionStorage, so reloading the page after a lost answer still retries
 * with it.
 */
import type { KeyValueStorage } from '../storage.ts';

export interface CheckoutDeps {
  storage: KeyValueStorage;
  newKey?: () => string;
}

const STORAGE_KEY = 'orders.checkout.idempotencyKey';

export class Checkout<T> {
  private inFlight: Promise<T> | undefined;
  private readonly newKey: () => string;

  constructor(private readonly deps: CheckoutDeps) {
    this.newKey = deps.newKey ?? (() => crypto.randomUUID());
  }

  /** This checkout's key, made on first use. */
  get idempotencyKey(): string {
    let key = this.deps.storage.getItem(STORAGE_KEY);
    if (key === null) {
      key = this.newKey();
      this.deps.storage.setItem(STORAGE_KEY, key);
    }
    return key;
  }

  get isPlacing(): boolean {
    return this.inFlight !== undefined;
  }

  /**
   * Sends the order with this checkout's key; while an attempt is in flight, returns that
   * attempt instead of sending another. Success ends the checkout; a failure keeps the key.
   */
  place(send: (idempotencyKey: string) => Promise<T>): Promise<T> {
    this.inFlight ??= send(this.idempotencyKey)
      .then((result) => {
        this.deps.storage.removeItem(STORAGE_KEY);
        return result;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Starts over with a new key (the cart changed after the API refused this body with 422). */
  reset(): void {
    this.deps.storage.removeItem(STORAGE_KEY);
  }
}
