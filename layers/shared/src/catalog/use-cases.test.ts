import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NotFoundError } from '../platform/errors.ts';
import type { Product } from './product.ts';

// The catalog use cases against a fake repository: each passes the request through with the
// time of the change, and a missing product is a 404.
const products = { list: vi.fn(), get: vi.fn(), create: vi.fn(), update: vi.fn(), setStock: vi.fn() };
vi.mock('../repositories.ts', () => ({ productRepository: () => products }));
const { createProduct, getProduct, listProducts, setProductStock, updateProduct } = await import('./use-cases.ts');

const kettle: Product = {
  productId: 'p-1',
  name: 'Kettle',
  description: 'Boils water',
  price: 2500,
  currency: 'USD',
  stock: 3,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
};
const anInstant = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

beforeEach(() => vi.clearAllMocks());

describe('catalog use cases', () => {
  it('lists a page of products', async () => {
    const page = { items: [kettle], nextCursor: 'next' };
    products.list.mockResolvedValue(page);
    await expect(listProducts({ limit: 2, cursor: 'c' })).resolves.toBe(page);
    expect(products.list).toHaveBeenCalledWith({ limit: 2, cursor: 'c' });
  });

  it('gets a product, or answers 404 naming it', async () => {
    products.get.mockResolvedValue(kettle);
    await expect(getProduct('p-1')).resolves.toBe(kettle);
    expect(products.get).toHaveBeenCalledWith('p-1');
    products.get.mockResolvedValue(undefined);
    await expect(getProduct('p-2')).rejects.toThrow(new NotFoundError('Product p-2 was not found'));
  });

  it('creates, updates and restocks a product, stamped with the time of the change', async () => {
    products.create.mockResolvedValue(kettle);
    products.update.mockResolvedValue(kettle);
    products.setStock.mockResolvedValue(kettle);
    const input = { name: 'Kettle', description: 'Boils water', price: 2500, currency: 'USD' };

    await expect(createProduct(input)).resolves.toBe(kettle);
    await expect(updateProduct('p-1', { price: 2700 })).resolves.toBe(kettle);
    await expect(setProductStock('p-1', 9)).resolves.toBe(kettle);

    expect(products.create).toHaveBeenCalledWith(input, anInstant);
    expect(products.update).toHaveBeenCalledWith('p-1', { price: 2700 }, anInstant);
    expect(products.setStock).toHaveBeenCalledWith('p-1', 9, anInstant);
  });
});
