import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, fieldErrors, type Problem } from '../../api/problem.ts';
import { useServices } from '../../app/context.tsx';
import { navigate, useLocation } from '../../app/router.ts';
import { ErrorAlert, Field, FormProblems, Loading } from '../../ui/components.tsx';
import { numberOrText } from './AdminProducts.tsx';

interface Draft {
  name: string;
  description: string;
  price: string;
  currency: string;
}

const FIELDS = ['name', 'description', 'price', 'currency'] as const;

/** Create a product (no productId) or edit one. */
export function ProductFormPage({ productId }: { productId?: string }) {
  const { api } = useServices();
  const [draft, setDraft] = useState<Draft>({ name: '', description: '', price: '', currency: 'USD' });
  const [loading, setLoading] = useState(productId !== undefined);
  const [loadError, setLoadError] = useState<unknown>();
  const [problem, setProblem] = useState<Problem>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // A product just created opens here for editing, saying so.
  const [saved, setSaved] = useState<string | undefined>(useLocation().query.has('created') ? 'Product created.' : undefined);

  useEffect(() => {
    if (productId === undefined) return;
    api.call(api.client.GET('/products/{productId}', { params: { path: { productId } } })).then(
      (product) => {
        setDraft({ name: product.name, description: product.description, price: String(product.price), currency: product.currency });
        setLoading(false);
      },
      (caught: unknown) => {
        setLoadError(caught);
        setLoading(false);
      },
    );
  }, [api, productId]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setError(undefined);
    setSaved(undefined);
    const body = { name: draft.name, description: draft.description, price: numberOrText(draft.price), currency: draft.currency };
    try {
      const product =
        productId === undefined
          ? await api.call(api.client.POST('/products', { body }))
          : await api.call(api.client.PUT('/products/{productId}', { params: { path: { productId } }, body }));
      if (productId === undefined) navigate(`/admin/products/${product.productId}?created`, { replace: true });
      else setSaved(`Saved ${product.name}.`);
    } catch (caught) {
      if (caught instanceof ApiError && caught.problem.errors !== undefined) setProblem(caught.problem);
      else setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const errors = fieldErrors(problem);
  const title = productId === undefined ? 'New product' : 'Edit product';

  return (
    <section aria-labelledby="page-title" className="narrow">
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      <p>
        <a href="#/admin/products">Back to products</a>
      </p>
      {loading && <Loading what="the product" />}
      <ErrorAlert error={loadError} />
      {!loading && loadError === undefined && (
        <form onSubmit={save} noValidate>
          <FormProblems problem={problem} shownFields={FIELDS} />
          <ErrorAlert error={error} />
          <Field label="Name" required value={draft.name} error={errors.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
          <Field label="Description" value={draft.description} error={errors.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
          <Field
            label="Price in cents"
            hint="Whole minor units: 1999 is 19.99"
            inputMode="numeric"
            required
            value={draft.price}
            error={errors.price}
            onChange={(e) => setDraft({ ...draft, price: e.target.value })}
          />
          <Field label="Currency" hint="Three capital letters, such as USD" value={draft.currency} error={errors.currency} onChange={(e) => setDraft({ ...draft, currency: e.target.value })} />
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save product'}
          </button>
          <p role="status">{saved}</p>
        </form>
      )}
    </section>
  );
}
