import { documentClient } from '../clients.ts';
import { tableName } from '../config.ts';
import { NotificationRepository } from './notification-repository.ts';
import { OrderRepository } from './order-repository.ts';
import { ProductRepository } from './product-repository.ts';

// One repository of each kind per container, built on first use (TABLE_NAME is read then).
let products: ProductRepository | undefined;
let orders: OrderRepository | undefined;
let notifications: NotificationRepository | undefined;

export const productRepository = (): ProductRepository => (products ??= new ProductRepository(documentClient, tableName()));
export const orderRepository = (): OrderRepository => (orders ??= new OrderRepository(documentClient, tableName()));
export const notificationRepository = (): NotificationRepository =>
  (notifications ??= new NotificationRepository(documentClient, tableName()));
