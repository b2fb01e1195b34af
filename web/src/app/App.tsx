import { useEffect, useState, type ReactNode } from 'react';
import { signOut } from '../auth/cognito.ts';
import { itemCount } from '../cart/cart.ts';
import { AdminOrdersPage } from '../pages/admin/AdminOrders.tsx';
import { AdminProductsPage } from '../pages/admin/AdminProducts.tsx';
import { ProductFormPage } from '../pages/admin/ProductForm.tsx';
import { CartPage } from '../pages/Cart.tsx';
import { CatalogPage } from '../pages/Catalog.tsx';
import { CheckoutPage } from '../pages/Checkout.tsx';
import { MyOrdersPage } from '../pages/MyOrders.tsx';
import { OrderPage } from '../pages/OrderPage.tsx';
import { SignInPage } from '../pages/SignIn.tsx';
import { goToSignIn, useCart, useServices, useUser } from './context.tsx';
import { matchPath, navigate, useLocation } from './router.ts';

type Access = 'public' | 'customer' | 'admin';

interface Route {
  pattern: string;
  access: Access;
  title: string;
  render: (params: Record<string, string>) => ReactNode;
}

const ROUTES: Route[] = [
  { pattern: '/', access: 'public', title: 'Catalog', render: () => <CatalogPage /> },
  { pattern: '/sign-in', access: 'public', title: 'Sign in', render: () => <SignInPage /> },
  { pattern: '/cart', access: 'public', title: 'Cart', render: () => <CartPage /> },
  { pattern: '/checkout', access: 'customer', title: 'Checkout', render: () => <CheckoutPage /> },
  { pattern: '/orders', access: 'customer', title: 'My orders', render: () => <MyOrdersPage /> },
  { pattern: '/orders/:orderId', access: 'customer', title: 'Order', render: ({ orderId = '' }) => <OrderPage key={orderId} orderId={orderId} /> },
  { pattern: '/admin/orders', access: 'admin', title: 'Orders by status', render: () => <AdminOrdersPage /> },
  { pattern: '/admin/products', access: 'admin', title: 'Products', render: () => <AdminProductsPage /> },
  { pattern: '/admin/products/new', access: 'admin', title: 'New product', render: () => <ProductFormPage key="new" /> },
  {
    pattern: '/admin/products/:productId',
    access: 'admin',
    title: 'Edit product',
    render: ({ productId = '' }) => <ProductFormPage key={productId} productId={productId} />,
  },
];

function findRoute(path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params !== undefined) return { route, params };
  }
  return undefined;
}

export function App() {
  const { path } = useLocation();
  const user = useUser();
  const found = findRoute(path);
  const needsSignIn = found !== undefined && found.route.access !== 'public' && user === undefined;

  useEffect(() => {
    if (needsSignIn) goToSignIn();
  }, [needsSignIn]);

  useEffect(() => {
    document.title = `${found?.route.title ?? 'Not found'} · Serverless Orders`;
    // A new page: move focus to its heading, so keyboard and screen reader users start there.
    requestAnimationFrame(() => document.getElementById('page-title')?.focus({ preventScroll: true }));
  }, [path, found?.route.title]);

  let content: ReactNode;
  if (found === undefined) {
    content = (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          Page not found
        </h1>
        <p>
          <a href="#/">Go to the catalog</a>
        </p>
      </section>
    );
  } else if (needsSignIn) {
    content = <p role="status">Sign in to continue…</p>;
  } else if (found.route.access === 'admin' && !user?.isAdmin) {
    content = (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          Not allowed
        </h1>
        <p role="alert">This page is for administrators (users in the admin group). You are signed in as {user?.email}.</p>
      </section>
    );
  } else {
    content = found.route.render(found.params);
  }

  return (
    <>
      <a className="skip-link" href="#main" onClick={(event) => {
        // The hash router owns the URL's hash: move focus without navigating.
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        {content}
      </main>
      <footer>
        <p>
          Serverless Orders, a reference application. Payments are simulated: no real card is charged.
        </p>
      </footer>
    </>
  );
}

function Header() {
  const { config, session } = useServices();
  const user = useUser();
  const { cart } = useCart();
  const [signingOut, setSigningOut] = useState(false);

  async function onSignOut() {
    setSigningOut(true);
    const accessToken = session.tokens?.accessToken;
    try {
      if (accessToken !== undefined) await signOut(config.cognito, accessToken);
    } catch {
      // Revoking failed (offline, or already revoked): the tokens still leave this tab below.
    } finally {
      session.clear();
      setSigningOut(false);
      navigate('/');
    }
  }

  const count = itemCount(cart);
  return (
    <header>
      <p className="brand">
        <a href="#/">Serverless Orders</a>
      </p>
      <nav aria-label="Main">
        <ul>
          <li>
            <a href="#/">Catalog</a>
          </li>
          <li>
            <a href="#/cart">
              Cart{count > 0 && <span> ({count} {count === 1 ? 'item' : 'items'})</span>}
            </a>
          </li>
          {user && (
            <li>
              <a href="#/orders">My orders</a>
            </li>
          )}
          {user?.isAdmin && (
            <>
              <li>
                <a href="#/admin/orders">Admin: orders</a>
              </li>
              <li>
                <a href="#/admin/products">Admin: products</a>
              </li>
            </>
          )}
        </ul>
      </nav>
      <div className="user">
        {user ? (
          <>
            <span>Signed in as {user.email}</span>{' '}
            <button type="button" className="secondary" disabled={signingOut} onClick={() => void onSignOut()}>
              Sign out
            </button>
          </>
        ) : (
          <a href="#/sign-in">Sign in</a>
        )}
      </div>
    </header>
  );
}
