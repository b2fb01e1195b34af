import { NotFoundError } from '../platform/errors.ts';
import { productRepository } from '../repositories.ts';
import type { Page, PageRequest } from '../platform/table/pagination.ts';
import type { NewProduct, Product, ProductChanges } from './product.ts';
import { RecentPages } from './recent-pages.ts';

// The catalog's use cases. Authorization (admin only for writes) is checked by the caller
// before these run, with platform/auth/policy.ts.

/** This execution environment's recent catalog pages (recent-pages.ts). */
const recentPages = new RecentPages<Page<Product>>();

/** A page of the catalog; `maxAgeSeconds`: the caller accepts a page read that long ago (recent-pages.ts). */
export const listProducts = (page: PageRequest, maxAgeSeconds?: number): Promise<Page<Product>> =>
  recentPages.get(`${page.limit}|${page.cursor ?? ''}`, maxAgeSeconds, () => productRepository().list(page));

export async function getProduct(productId: string): Promise<Product> {
  const product = await productRepository().get(productId);
  if (!product) throw new NotFoundError(`Product ${productId} was not found`);
  return product;
}

export const createProduct = (input: NewProduct): Promise<Product> =>
  productRepository().create(input, new Date().toISOString());

export const updateProduct = (productId: string, changes: ProductChanges): Promise<Product> =>
  productRepository().update(productId, changes, new Date().toISOString());

export const setProductStock = (productId: string, stock: number): Promise<Product> =>
  productRepository().setStock(productId, stock, new Date().toISOString());
