import { readFile } from 'node:fs/promises';
import { isRecord } from '../template/template-types.ts';

export interface SeedUser {
  email: string;
  groups: string[];
}

export interface SeedUsers {
  password: string;
  users: SeedUser[];
}

export interface SeedProduct {
  name: string;
  description: string;
  price: number;
  currency: string;
  stock: number;
}

/** `local/seed/`, where the demo data lives. */
export const SEED_DIRECTORY = new URL('../../seed/', import.meta.url);

export async function readSeedUsers(url = new URL('users.json', SEED_DIRECTORY)): Promise<SeedUsers> {
  const data = await readJson(url);
  const users = isRecord(data) && Array.isArray(data.users) ? data.users : undefined;
  if (!isRecord(data) || typeof data.password !== 'string' || users === undefined) {
    throw new Error(`${url.pathname} must be { "password": string, "users": [{ "email", "groups" }] }`);
  }
  return {
    password: data.password,
    users: users.filter(isRecord).map((user) => ({
      email: String(user.email),
      groups: Array.isArray(user.groups) ? user.groups.map(String) : [],
    })),
  };
}

export async function readSeedCatalog(url = new URL('catalog.json', SEED_DIRECTORY)): Promise<SeedProduct[]> {
  const data = await readJson(url);
  const products = isRecord(data) && Array.isArray(data.products) ? data.products : undefined;
  if (products === undefined) throw new Error(`${url.pathname} must be { "products": [...] }`);
  return products.map((product, index) => {
    if (
      !isRecord(product) ||
      typeof product.name !== 'string' ||
      !Number.isInteger(product.price) ||
      !Number.isInteger(product.stock)
    ) {
      throw new Error(`${url.pathname}: product ${index} needs a name and integer price (cents) and stock`);
    }
    return {
      name: product.name,
      description: String(product.description ?? ''),
      price: product.price as number,
      currency: String(product.currency ?? 'USD'),
      stock: product.stock as number,
    };
  });
}

async function readJson(url: URL): Promise<unknown> {
  return JSON.parse(await readFile(url, 'utf8')) as unknown;
}
