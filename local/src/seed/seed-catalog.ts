import type { SeedProduct } from './seed-files.ts';

/** The API calls seeding makes, so their functions can be warmed up before it starts. */
export const CATALOG_SEEDING_ROUTES = [
  { method: 'POST', path: '/products' },
  { method: 'PUT', path: '/products/00000000-0000-0000-0000-000000000000/stock' },
] as const;

export interface SeededProduct {
  productId: string;
  name: string;
  stock: number;
}

/**
 * Creates the demo catalog through the running API with an admin's token, so seeding goes
 * through the real handlers: POST /products, then PUT /products/{productId}/stock.
 * One product at a time: the first call per function pays the cold start, the rest are warm.
 */
export async function seedCatalog(apiUrl: string, adminIdToken: string, products: SeedProduct[]): Promise<SeededProduct[]> {
  const seeded: SeededProduct[] = [];
  for (const { stock, ...details } of products) {
    const created = await send(apiUrl, adminIdToken, 'POST', '/products', details);
    const productId = (created as { productId?: unknown }).productId;
    if (typeof productId !== 'string') {
      throw new Error(`POST /products answered without a productId: ${JSON.stringify(created)}`);
    }
    await send(apiUrl, adminIdToken, 'PUT', `/products/${encodeURIComponent(productId)}/stock`, { stock });
    seeded.push({ productId, name: details.name, stock });
  }
  return seeded;
}

async function send(apiUrl: string, token: string, method: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { Authorization: token, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Seeding the catalog: ${method} ${path} answered ${response.status} ${text}`);
  return text === '' ? {} : (JSON.parse(text) as unknown);
}
