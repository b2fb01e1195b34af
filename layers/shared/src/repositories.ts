import { SimulatedPaymentProvider, type PaymentProvider } from './fulfilment/payment-provider.ts';
import { PaymentRepository } from './fulfilment/payment-repository.ts';
import { StockRepository } from './fulfilment/stock-repository.ts';
import { NotificationRepository } from './notifications/notification-repository.ts';
import { OrderRepository } from './orders/order-repository.ts';
import { ProductRepository } from './catalog/product-repository.ts';
import { documentClient } from './platform/clients.ts';
import { tableName } from './platform/config.ts';

// The one registry of data access: one repository of each kind per container, built on first
// use (TABLE_NAME is read then). Use cases get their repositories here; a function's bundle
// keeps only the ones its use cases call.
let products: ProductRepository | undefined;
let orders: OrderRepository | undefined;
let notifications: NotificationRepository | undefined;
let stock: StockRepository | undefined;
let payments: PaymentRepository | undefined;
let provider: PaymentProvider | undefined;

export const productRepository = (): ProductRepository => (products ??= new ProductRepository(documentClient, tableName()));
export const orderRepository = (): OrderRepository => (orders ??= new OrderRepository(documentClient, tableName()));
export const notificationRepository = (): NotificationRepository =>
  (notifications ??= new NotificationRepository(documentClient, tableName()));
export const stockRepository = (): StockRepository => (stock ??= new StockRepository(documentClient, tableName()));
export const paymentRepository = (): PaymentRepository => (payments ??= new PaymentRepository(documentClient, tableName()));
/** The simulated provider is the only adapter so far; a real one would be chosen here by configuration. */
export const paymentProvider = (): PaymentProvider =>
  (provider ??= new SimulatedPaymentProvider(documentClient, tableName()));
