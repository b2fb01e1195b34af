import { documentClient } from '../clients.ts';
import { tableName } from '../config.ts';
import { SimulatedPaymentProvider, type PaymentProvider } from './payment-provider.ts';
import { PaymentRepository } from './payment-repository.ts';
import { StockRepository } from './stock-repository.ts';

// One of each per container, built on first use.
let stock: StockRepository | undefined;
let payments: PaymentRepository | undefined;
let provider: PaymentProvider | undefined;

export const stockRepository = (): StockRepository => (stock ??= new StockRepository(documentClient, tableName()));
export const paymentRepository = (): PaymentRepository => (payments ??= new PaymentRepository(documentClient, tableName()));
/** The simulated provider is the only adapter so far; a real one would be chosen here by configuration. */
export const paymentProvider = (): PaymentProvider => (provider ??= new SimulatedPaymentProvider(documentClient, tableName()));
