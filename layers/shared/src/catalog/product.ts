export interface Product {
  productId: string;
  name: string;
  description: string;
  /** Minor units (cents) of `currency`. Integers only: no floating-point money anywhere. */
  price: number;
  currency: string;
  /** Units available to order. */
  stock: number;
  createdAt: string;
  updatedAt: string;
}

/** What pricing an order reads of a product: everything but its stock (the saga reserves it). */
export type ProductPricing = Omit<Product, 'stock'>;

export type NewProduct = Pick<Product, 'name' | 'description' | 'price' | 'currency'>;
export type ProductChanges = Partial<NewProduct>;
