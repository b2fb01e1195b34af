import { useState, type FormEvent } from 'react';
import { ApiError, describeError, fieldErrors } from '../../api/problem.ts';
import type { components } from '../../api/schema';
import { useServices } from '../../app/context.tsx';
import { useLoad } from '../../app/use-load.ts';
import { ErrorAlert, Field, formatMoney, Loading } from '../../ui/components.tsx';
import { Pager, useCursorPages } from '../../ui/pager.tsx';

type Product = components['schemas']['Product'];

/** A number when the text is one; otherwise the text as typed, for the API to name what is wrong with it. */
export const numberOrText = (text: string): number => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : (text as unknown as number));

export function AdminProductsPage() {
  const { api } = useServices();
  const pages = useCursorPages();
  const { cursor } = pages;
  const page = useLoad(
    () => api.call(api.client.GET('/products', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })),
    [cursor],
  );

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Products
      </h1>
      <p>
        <a className="button" href="#/admin/products/new">
          New product
        </a>
      </p>
      {page.loading && <Loading what="products" />}
      <ErrorAlert error={page.error} onRetry={page.reload} />
      {page.data && (
        <>
          <table>
            <caption className="visually-hidden">The catalog</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Price</th>
                <th scope="col">Stock</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((product) => (
                <tr key={product.productId}>
                  <th scope="row">
                    <a href={`#/admin/products/${product.productId}`}>{product.name}</a>
                  </th>
                  <td>{formatMoney(product.price, product.currency)}</td>
                  <td>
                    <StockForm product={product} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager label="Product pages" pages={pages} nextCursor={page.data.nextCursor} />
        </>
      )}
    </section>
  );
}

function StockForm({ product }: { product: Product }) {
  const { api } = useServices();
  const [stock, setStock] = useState(String(product.stock));
  const [saved, setSaved] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setSaved(undefined);
    setFieldError(undefined);
    setError(undefined);
    try {
      const updated = await api.call(
        api.client.PUT('/products/{productId}/stock', { params: { path: { productId: product.productId } }, body: { stock: numberOrText(stock) } }),
      );
      setStock(String(updated.stock));
      setSaved(`Saved: ${updated.stock} in stock.`);
    } catch (caught) {
      const message = caught instanceof ApiError ? fieldErrors(caught.problem).stock : undefined;
      if (message !== undefined) setFieldError(message);
      else setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save} noValidate className="inline-form">
      <Field label={`Stock of ${product.name}`} inputMode="numeric" value={stock} error={fieldError} onChange={(event) => setStock(event.target.value)} />
      <button type="submit" disabled={busy}>
        Set stock <span className="visually-hidden">of {product.name}</span>
      </button>
      <span role="status">{saved}</span>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
    </form>
  );
}
