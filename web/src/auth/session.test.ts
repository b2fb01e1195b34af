import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CognitoError, type Tokens } from './cognito.ts';
import { REFRESH_MARGIN_MS, refreshDueIn, Session } from './session.ts';

const base64Url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (claims: Record<string, unknown>) => `h.${base64Url(JSON.stringify(claims))}.s`;

const memoryStorage = () => {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
};

const tokens = (n: number, expiresAt: number, groups?: string[]): Tokens => ({
  idToken: jwt({ sub: 'u-1', email: 'alice@example.com', exp: expiresAt / 1000, n, ...(groups ? { 'cognito:groups': groups } : {}) }),
  accessToken: `access-${n}`,
  refreshToken: 'refresh',
  expiresAt,
});

describe('token refresh timing', () => {
  it('is due a minute before expiry, and now once that minute has begun', () => {
    expect(refreshDueIn(3_600_000, 0)).toBe(3_600_000 - REFRESH_MARGIN_MS);
    expect(refreshDueIn(3_600_000, 3_600_000 - 30_000)).toBe(0);
    expect(refreshDueIn(3_600_000, 4_000_000)).toBe(0);
  });
});

describe('Session', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refreshes the tokens a minute before they expire, without a request asking', async () => {
    const refresh = vi.fn(async () => tokens(2, 7_200_000));
    const session = new Session({ storage: memoryStorage(), refresh });
    session.set(tokens(1, 3_600_000));
    await vi.advanceTimersByTimeAsync(3_600_000 - REFRESH_MARGIN_MS - 1);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledWith('refresh');
    expect(session.tokens?.accessToken).toBe('access-2');
  });

  it('refreshes on demand when the timer has not run, once for concurrent callers', async () => {
    const refresh = vi.fn(async () => tokens(2, 7_200_000));
    const storage = memoryStorage();
    storage.setItem('orders.session', JSON.stringify(tokens(1, 30_000)));
    const session = new Session({ storage, refresh, now: () => 0 });
    const [a, b] = await Promise.all([session.idToken(), session.idToken()]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(a).toBe(tokens(2, 7_200_000).idToken);
    expect(b).toBe(a);
  });

  it('signs out when Cognito refuses the refresh token, and keeps the session on a network failure', async () => {
    const storage = memoryStorage();
    const refused = new Session({ storage, refresh: async () => Promise.reject(new CognitoError('NotAuthorizedException', 'Refresh Token has expired', 400)) });
    refused.set(tokens(1, 10_000));
    expect(await refused.idToken()).toBeUndefined();
    expect(refused.tokens).toBeUndefined();
    expect(storage.getItem('orders.session')).toBeNull();

    const offline = new Session({ storage: memoryStorage(), refresh: async () => Promise.reject(new TypeError('Failed to fetch')) });
    offline.set(tokens(1, 10_000));
    await expect(offline.idToken()).rejects.toThrow(TypeError);
    expect(offline.tokens?.accessToken).toBe('access-1');
  });

  it('reads the admin group from the ID token', () => {
    const session = new Session({ storage: memoryStorage(), refresh: vi.fn() });
    session.set(tokens(1, 3_600_000, ['admin']));
    expect(session.isAdmin).toBe(true);
    expect(session.claims?.email).toBe('alice@example.com');
    session.set(tokens(1, 3_600_000));
    expect(session.isAdmin).toBe(false);
  });

  it('tells subscribers about sign-in and sign-out', () => {
    const session = new Session({ storage: memoryStorage(), refresh: vi.fn() });
    const listener = vi.fn();
    session.subscribe(listener);
    session.set(tokens(1, 3_600_000));
    session.clear();
    expect(listener).toHaveBeenCalledTimes(2);
    expect(session.tokens).toBeUndefined();
  });
});
