/**
 * The signed-in user's tokens: kept in sessionStorage (gone when the tab closes, not shared
 * with other tabs), refreshed a minute before they expire by a timer, and again on demand when
 * a request needs a token and the timer has not run (a background tab's timers are throttled).
 */
import { CognitoError, type Tokens } from './cognito.ts';
import type { KeyValueStorage } from '../storage.ts';
import { readIdToken, type IdTokenClaims } from './jwt.ts';

/** How long before expiry the tokens are refreshed. */
export const REFRESH_MARGIN_MS = 60_000;

/** Milliseconds from `now` until the tokens should be refreshed (0: now). */
export function refreshDueIn(expiresAt: number, now: number, margin = REFRESH_MARGIN_MS): number {
  return Math.max(0, expiresAt - margin - now);
}

export interface SessionDeps {
  storage: KeyValueStorage;
  refresh: (refreshToken: string) => Promise<Tokens>;
  now?: () => number;
}

const STORAGE_KEY = 'orders.session';

export class Session {
  private current: Tokens | undefined;
  private refreshing: Promise<Tokens | undefined> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;

  constructor(private readonly deps: SessionDeps) {
    this.now = deps.now ?? Date.now;
    const stored = deps.storage.getItem(STORAGE_KEY);
    if (stored !== null) {
      try {
        this.current = JSON.parse(stored) as Tokens;
        this.schedule();
      } catch {
        deps.storage.removeItem(STORAGE_KEY);
      }
    }
  }

  get tokens(): Tokens | undefined {
    return this.current;
  }

  get claims(): IdTokenClaims | undefined {
    return this.current === undefined ? undefined : readIdToken(this.current.idToken);
  }

  get isAdmin(): boolean {
    return this.claims?.groups.includes('admin') ?? false;
  }

  /** Calls `listener` whenever the user signs in, is refreshed or signs out. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(tokens: Tokens): void {
    this.current = tokens;
    this.deps.storage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    this.schedule();
    this.emit();
  }

  clear(): void {
    this.current = undefined;
    this.deps.storage.removeItem(STORAGE_KEY);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.emit();
  }

  /** An ID token valid for at least the refresh margin, refreshing first if needed; undefined when signed out. */
  async idToken(): Promise<string | undefined> {
    if (this.current === undefined) return undefined;
    if (refreshDueIn(this.current.expiresAt, this.now()) > 0) return this.current.idToken;
    return (await this.refresh())?.idToken;
  }

  /** One refresh at a time: concurrent callers share it. A refused refresh token signs the user out. */
  refresh(): Promise<Tokens | undefined> {
    const refreshToken = this.current?.refreshToken;
    if (refreshToken === undefined) return Promise.resolve(undefined);
    this.refreshing ??= this.deps
      .refresh(refreshToken)
      .then(
        (tokens) => {
          this.set(tokens);
          return tokens;
        },
        (error: unknown) => {
          // Only Cognito refusing the token ends the session; a network failure leaves it for a retry.
          if (error instanceof CognitoError) {
            this.clear();
            return undefined;
          }
          throw error;
        },
      )
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.current === undefined) return;
    this.timer = setTimeout(() => {
      this.refresh().catch(() => {
        // Offline: the next request that needs a token tries again.
      });
    }, refreshDueIn(this.current.expiresAt, this.now()));
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
