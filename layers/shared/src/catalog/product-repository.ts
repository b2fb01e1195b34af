import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../platform/errors.ts';
import type { NewProduct, Product, ProductChanges, ProductPricing } from './product.ts';
import {
  CATALOG_BASE,
  CATALOG_SHARDS,
  catalogPartition,
  catalogSortKey,
  SHARDED_CURSOR_SORT_KEYS,
  ENTITY,
  INDEX,
  PRODUCT_SK,
  productKey,
  STOCK_COUNTER_SK,
  STOCK_COUNTERS,
  stockCounterKey,
  stockCounterKeys,
} from '../platform/table/keys.ts';
import { batchGetAll } from '../platform/table/batch-get.ts';
import { cancellationCodes } from '../platform/table/conditional-write.ts';
import { queryShards } from '../platform/table/sharded-index.ts';
import type { Page, PageRequest } from '../platform/table/pagination.ts';
import { spreadStock } from '../fulfilment/stock-plan.ts';

/** setStock meets a reservation writing the same counter now and then (TransactionConflict): it tries again this often. */
const MAX_SET_STOCK_ATTEMPTS = 3;

/** A product item as pricing reads it: everything but its stock, which is not on the item. */
function toPricing(item: Record<string, unknown>): ProductPricing {
  return {
    productId: item.productId as string,
    name: item.name as string,
    description: item.description as string,
    price: item.price as number,
    currency: item.currency as string,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

/** A product item with its available stock (the sum of its counters, docs/data-model.md). */
function toProduct(item: Record<string, unknown>, stock: number): Product {
  const { createdAt, updatedAt, ...priced } = toPricing(item);
  return { ...priced, stock, createdAt, updatedAt }; // the API's field order: stock before the timestamps
}

/** Each product's available units: the sum of the `stock` of its counter items among `items` (missing counters count 0). */
function stockByProduct(items: readonly Record<string, unknown>[]): Map<string, number> {
  const stock = new Map<string, number>();
  for (const item of items) {
    if (item.SK !== STOCK_COUNTER_SK) continue;
    const productId = item.productId as string;
    stock.set(productId, (stock.get(productId) ?? 0) + (typeof item.stock === 'number' ? item.stock : 0));
  }
  return stock;
}

/**
 * The catalog aggregate's data access. Every access pattern is listed in docs/data-model.md.
 * A product's stock is not on its item but in its counter items (platform/table/keys.ts,
 * `STOCK_COUNTERS`); every read that answers a product reads its counters too and sums them.
 */
export class ProductRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Adds a product with no stock. Its counter items are not written: a missing counter counts
   * 0, and `setStock` creates them, so creating a product stays one conditional put.
   */
  async create(input: NewProduct, now: string): Promise<Product> {
    const product: Product = { productId: randomUUID(), ...input, stock: 0, createdAt: now, updatedAt: now };
    const { stock: _counted, ...stored } = product;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...productKey(product.productId),
          type: ENTITY.product,
          GSI1PK: catalogPartition(),
          GSI1SK: catalogSortKey(product.name, product.productId),
          ...stored,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return product;
  }

  /** One product with its stock: one BatchGetItem of the product and its counters (one round trip, as a GetItem was). */
  async get(productId: string, options: { consistent?: boolean } = {}): Promise<Product | undefined> {
    const items = await batchGetAll(this.client, this.tableName, [productKey(productId), ...stockCounterKeys(productId)], options);
    const product = items.find((item) => item.SK === PRODUCT_SK);
    return product === undefined ? undefined : toProduct(product, stockByProduct(items).get(productId) ?? 0);
  }

  /**
   * What placing an order needs of its products: their items alone, without their counters
   * (pricing does not look at stock; the saga's reservation is what checks it), so an order's
   * placement reads none of the best seller's counter partitions (docs/scale.md).
   */
  async getPricing(productIds: readonly string[]): Promise<Map<string, ProductPricing>> {
    const items = await batchGetAll(this.client, this.tableName, [...new Set(productIds)].map(productKey));
    return new Map(items.map((item) => [item.productId as string, toPricing(item)]));
  }

  /** The catalog by name, every shard merged. */
  async list(page: PageRequest): Promise<Page<Product>> {
    const listed = await queryShards({
      client: this.client,
      tableName: this.tableName,
      index: INDEX.gsi1,
      base: CATALOG_BASE,
      shards: CATALOG_SHARDS,
      cursorSortKey: SHARDED_CURSOR_SORT_KEYS.catalog,
      page,
      descending: false,
      map: (item) => item,
    });
    // The page's counters, in one BatchGetItem for a page of up to 25 products (parallel ones beyond).
    const counters = await batchGetAll(this.client, this.tableName, listed.items.flatMap((item) => stockCounterKeys(item.productId as string)));
    const stock = stockByProduct(counters);
    return { ...listed, items: listed.items.map((item) => toProduct(item, stock.get(item.productId as string) ?? 0)) };
  }

  /** Changes only the given fields, in one conditional write (no read-modify-write race). */
  async update(productId: string, changes: ProductChanges, now: string): Promise<Product> {
    const values: Record<string, unknown> = { ...definedOnly(changes), updatedAt: now };
    if (changes.name !== undefined) values.GSI1SK = catalogSortKey(changes.name, productId);
    const updated = await this.updateExisting(productId, values);
    return toProduct(updated, await this.stockOf(productId));
  }

  /**
   * Sets the product's available units, spread evenly over its counters (`spreadStock`), and
   * bumps its `updatedAt`, in one transaction: the product must exist (else 404, and no counter
   * is written). Units held by orders (`reserved`) and `shipped` stay as they are; the answer
   * reads the product back.
   */
  async setStock(productId: string, stock: number, now: string): Promise<Product> {
    const spread = spreadStock(stock, STOCK_COUNTERS);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: productKey(productId),
                  UpdateExpression: 'SET updatedAt = :now',
                  ConditionExpression: 'attribute_exists(PK)',
                  ExpressionAttributeValues: { ':now': now },
                },
              },
              ...spread.map((units, counter) => ({
                Update: {
                  TableName: this.tableName,
                  Key: stockCounterKey(productId, counter),
                  UpdateExpression:
                    'SET #type = :type, productId = :productId, #counter = :counter, stock = :units, reserved = if_not_exists(reserved, :zero), shipped = if_not_exists(shipped, :zero)',
                  ExpressionAttributeNames: { '#type': 'type', '#counter': 'counter' },
                  ExpressionAttributeValues: { ':type': ENTITY.stockCounter, ':productId': productId, ':counter': counter, ':units': units, ':zero': 0 },
                },
              })),
            ],
          }),
        );
        break;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[0] === 'ConditionalCheckFailed') throw new NotFoundError(`Product ${productId} was not found`);
        if (!codes?.includes('TransactionConflict') || attempt >= MAX_SET_STOCK_ATTEMPTS) throw error;
      }
    }
    return this.existing(productId);
  }

  /** A product's available units as they are now: its counters, read strongly consistent. */
  private async stockOf(productId: string): Promise<number> {
    const counters = await batchGetAll(this.client, this.tableName, stockCounterKeys(productId), { consistent: true });
    return stockByProduct(counters).get(productId) ?? 0;
  }

  /** The product as it is now (read back after a write), a 404 if it was deleted meanwhile. */
  private async existing(productId: string): Promise<Product> {
    const product = await this.get(productId, { consistent: true });
    if (product === undefined) throw new NotFoundError(`Product ${productId} was not found`);
    return product;
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
