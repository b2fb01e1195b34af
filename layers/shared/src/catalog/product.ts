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

export type NewProduct = Pick<Product, 'name' | 'description' | 'price' | 'currency'>;
export type ProductChanges = Partial<NewProduct>;
