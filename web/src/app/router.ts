/**
 * A hash router in a few lines (react-router would add more to the bundle than the whole app).
 * Hash URLs (`#/orders/…`) also need nothing from the host: S3 behind CloudFront serves
 * index.html for `/` only, and a deep link still opens the right page.
 */
import { useSyncExternalStore } from 'react';

export interface Location {
  path: string;
  query: URLSearchParams;
}

/** `#/orders/abc?x=1` → `{ path: '/orders/abc', query: x=1 }`; an empty hash is `/`. */
export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?', 2);
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(search) };
}

/** The parameters of `pattern` (`/orders/:orderId`) in `path`, or undefined when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}/?$`,
  );
  const match = regex.exec(path);
  if (match === null) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** The current location; re-renders on every hash change. */
export function useLocation(): Location {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseHash(hash);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.location.replace(`#${to}`);
  else window.location.hash = to;
}

/** The current path and query, to come back to after signing in. */
export const currentPath = (): string => window.location.hash.replace(/^#/, '') || '/';
