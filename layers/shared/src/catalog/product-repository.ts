import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../platform/errors.ts';
import type { NewProduct, Product, ProductChanges } from './product.ts';
import { CATALOG_BASE, CATALOG_SHARDS, catalogPartition, catalogSortKey, CURSOR_KEYS, ENTITY, INDEX, productKey, TABLE_KEYS } from '../platform/table/keys.ts';
import { queryShards } from '../platform/table/sharded-index.ts';
import type { Page, PageRequest } from '../platform/table/pagination.ts';

const BATCH_GET_LIMIT = 100;
const MAX_BATCH_GET_ATTEMPTS = 5;

function toProduct(item: Record<string, unknown>): Product {
  return {
    productId: item.productId as string,
    name: item.name as string,
    description: item.description as string,
    price: item.price as number,
    currency: item.currency as string,
    stock: item.stock as number,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

/** The catalog aggregate's data access. Every access pattern is listed in docs/data-model.md. */
export class ProductRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(input: NewProduct, now: string): Promise<Product> {
    const product: Product = { productId: randomUUID(), ...input, stock: 0, createdAt: now, updatedAt: now };
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...productKey(product.productId),
          type: ENTITY.product,
          GSI1PK: catalogPartition(),
          GSI1SK: catalogSortKey(product.name, product.productId),
          ...product,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return product;
  }

  async get(productId: string): Promise<Product | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: productKey(productId) }));
    return Item ? toProduct(Item) : undefined;
  }

  /** Reads several products at once (an order's lines); missing ones are simply absent from the map. */
  async getMany(productIds: readonly string[]): Promise<Map<string, Product>> {
    const found = new Map<string, Product>();
    const unique = [...new Set(productIds)];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique.slice(start, start + BATCH_GET_LIMIT).map(productKey);
      // BatchGet may return some keys unprocessed under load; ask again for just those.
      for (let attempt = 1; keys.length > 0; attempt += 1) {
        if (attempt > MAX_BATCH_GET_ATTEMPTS) throw new Error('Catalog read did not complete: too many unprocessed keys');
        const response = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) found.set(item.productId as string, toProduct(item));
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 10));
      }
    }
    return found;
  }

  /** The catalog by name, every shard merged. */
  list(page: PageRequest): Promise<Page<Product>> {
    return queryShards({
      client: this.client,
      tableName: this.tableName,
      index: INDEX.gsi1,
      base: CATALOG_BASE,
      shards: CATALOG_SHARDS,
      cursorKeyOf: CURSOR_KEYS.catalog,
      page,
      descending: false,
      map: toProduct,
    });
  }

  /** Changes only the given fields, in one conditional write (no read-modify-write race). */
  async update(productId: string, changes: ProductChanges, now: string): Promise<Product> {
    const values: Record<string, unknown> = { ...definedOnly(changes), updatedAt: now };
    if (changes.name !== undefined) values.GSI1SK = catalogSortKey(changes.name, productId);
    return toProduct(await this.updateExisting(productId, values));
  }

  async setStock(productId: string, stock: number, now: string): Promise<Product> {
    return toProduct(await this.updateExisting(productId, { stock, updatedAt: now }));
  }

  /** SET each attribute on an existing product; a product that does not exist is a 404, never an upsert. */
  private async updateExisting(productId: string, values: Record<string, unknown>): Promise<Record<string, unknown>> {
    const names = Object.keys(values);
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: productKey(productId),
          UpdateExpression: `SET ${names.map((_, index) => `#a${index} = :v${index}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
          ExpressionAttributeValues: Object.fromEntries(names.map((name, index) => [`:v${index}`, values[name]])),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new NotFoundError(`Product ${productId} was not found`);
      throw error;
    }
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
