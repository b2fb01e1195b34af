/** What every page needs, made once at start-up: the config, the session, the API client and the cart. */
import { createContext, useCallback, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { createApi, type Api } from '../api/client.ts';
import { refreshTokens } from '../auth/cognito.ts';
import { Session } from '../auth/session.ts';
import { loadCart, saveCart, type Cart } from '../cart/cart.ts';
import type { AppConfig } from '../config.ts';
import { currentPath, navigate } from './router.ts';

export interface Services {
  config: AppConfig;
  session: Session;
  api: Api;
}

/** Sends the user to sign in, then back to where they were. */
export function goToSignIn(): void {
  const here = currentPath();
  if (here.startsWith('/sign-in')) return;
  navigate(`/sign-in?next=${encodeURIComponent(here)}`);
}

export function createServices(config: AppConfig): Services {
  const session = new Session({ storage: sessionStorage, refresh: (token) => refreshTokens(config.cognito, token) });
  const api = createApi(config.apiUrl, session, () => {
    // The API refused the token (revoked, or the pool changed): sign in again.
    session.clear();
    goToSignIn();
  });
  return { config, session, api };
}

const ServicesContext = createContext<Services | undefined>(undefined);
const CartContext = createContext<{ cart: Cart; setCart: (update: (cart: Cart) => Cart) => void } | undefined>(undefined);

export function AppProvider({ services, children }: { services: Services; children: ReactNode }) {
  const [cart, setCartState] = useState<Cart>(() => loadCart(localStorage));
  const setCart = useCallback((update: (cart: Cart) => Cart) => setCartState((current) => update(current)), []);
  useEffect(() => saveCart(localStorage, cart), [cart]);
  useEffect(() => {
    // Another tab changed the cart.
    const onStorage = (event: StorageEvent) => {
      if (event.key === 'orders.cart') setCartState(loadCart(localStorage));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  return (
    <ServicesContext.Provider value={services}>
      <CartContext.Provider value={{ cart, setCart }}>{children}</CartContext.Provider>
    </ServicesContext.Provider>
  );
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (services === undefined) throw new Error('useServices outside AppProvider');
  return services;
}

export function useCart() {
  const cart = useContext(CartContext);
  if (cart === undefined) throw new Error('useCart outside AppProvider');
  return cart;
}

/** The signed-in user (re-renders on sign-in, refresh and sign-out), or undefined. */
export function useUser() {
  const { session } = useServices();
  const tokens = useSyncExternalStore(
    (onChange) => session.subscribe(onChange),
    () => session.tokens,
  );
  if (tokens === undefined) return undefined;
  const claims = session.claims;
  return { sub: claims?.sub ?? '', email: claims?.email ?? claims?.sub ?? '', isAdmin: session.isAdmin };
}
