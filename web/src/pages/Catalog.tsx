import { useState } from 'react';
import { addToCart } from '../cart/cart.ts';
import { useCart, useServices } from '../app/context.tsx';
import { useLoad } from '../app/use-load.ts';
import { ErrorAlert, formatMoney, Loading } from '../ui/components.tsx';
import { Pager, useCursorPages } from '../ui/pager.tsx';

const PAGE_SIZE = 12;
/** Seconds the shop's catalog may be old: the API may answer from memory, not DynamoDB (docs/scale.md). */
const CATALOG_MAX_AGE = 10;

export function CatalogPage() {
  const { api } = useServices();
  const { setCart } = useCart();
  const pages = useCursorPages();
  const { cursor } = pages;
  const page = useLoad(
    () => api.call(api.client.GET('/products', { params: { query: { limit: PAGE_SIZE, maxAge: CATALOG_MAX_AGE, ...(cursor ? { cursor } : {}) } } })),
    [cursor],
  );
  const [announcement, setAnnouncement] = useState('');

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Catalog
      </h1>
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
      {page.loading && <Loading what="products" />}
      <ErrorAlert error={page.error} onRetry={page.reload} />
      {page.data && (
        <>
          <ul className="cards">
            {page.data.items.map((product) => (
              <li key={product.productId} className="card">
                <h2>{product.name}</h2>
                <p>{product.description}</p>
                <p className="price">{formatMoney(product.price, product.currency)}</p>
                <p className={product.stock > 0 ? 'muted' : 'warning'}>
                  {product.stock > 0 ? `${product.stock} in stock` : 'Out of stock: an order for it will be rejected'}
                </p>
                <button
                  type="button"
                  onClick={() => {
                    setCart((cart) => addToCart(cart, product));
                    setAnnouncement(`${product.name} added to your cart.`);
                  }}
                >
                  Add to cart<span className="visually-hidden">: {product.name}</span>
                </button>
              </li>
            ))}
          </ul>
          {page.data.items.length === 0 && <p>No products yet.</p>}
          <Pager label="Catalog pages" pages={pages} nextCursor={page.data.nextCursor} />
        </>
      )}
    </section>
  );
}
