import { describe, expect, it, vi } from 'vitest';
import { Checkout } from './checkout.ts';

const memoryStorage = () => {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
};

const keys = () => {
  let n = 0;
  return () => `key-${++n}`;
};

describe('Checkout', () => {
  it('sends one request for a double click, with the checkout’s key', async () => {
    const checkout = new Checkout<string>({ storage: memoryStorage(), newKey: keys() });
    const send = vi.fn(async (key: string) => `order for ${key}`);
    const [first, second] = await Promise.all([checkout.place(send), checkout.place(send)]);
    expect(send).toHaveBeenCalledTimes(1);
    expect([first, second]).toEqual(['order for key-1', 'order for key-1']);
  });

  it('is placing while the request is in flight, and not after', async () => {
    const checkout = new Checkout<string>({ storage: memoryStorage(), newKey: keys() });
    let answer!: (value: string) => void;
    const placing = checkout.place(() => new Promise<string>((resolve) => (answer = resolve)));
    expect(checkout.isPlacing).toBe(true);
    answer('ok');
    await placing;
    expect(checkout.isPlacing).toBe(false);
  });

  it('retries a failed attempt with the same key, and uses a new key for the next checkout once placed', async () => {
    const storage = memoryStorage();
    const checkout = new Checkout<string>({ storage, newKey: keys() });
    const sent: string[] = [];
    await expect(
      checkout.place(async (key) => {
        sent.push(key);
        throw new TypeError('Failed to fetch');
      }),
    ).rejects.toThrow('Failed to fetch');
    const succeed = async (key: string) => {
      sent.push(key);
      return 'ok';
    };
    await checkout.place(succeed);
    await checkout.place(succeed);
    expect(sent).toEqual(['key-1', 'key-1', 'key-2']);
  });

  it('keeps the key across a reload until the order is placed', async () => {
    const storage = memoryStorage();
    const newKey = keys();
    const before = new Checkout<string>({ storage, newKey });
    const key = before.idempotencyKey;
    expect(new Checkout<string>({ storage, newKey }).idempotencyKey).toBe(key);
  });

  it('starts over with a new key when reset', () => {
    const checkout = new Checkout<string>({ storage: memoryStorage(), newKey: keys() });
    const first = checkout.idempotencyKey;
    checkout.reset();
    expect(checkout.idempotencyKey).not.toBe(first);
  });
});
