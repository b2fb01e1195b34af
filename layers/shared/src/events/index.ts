// '@orders/shared/events': what the event-driven functions (stream publisher, queue consumers)
// need. A separate entry point so API functions never load the SNS client or batch utilities.

export { orderEvent, routingAttributesOf, type OrderEvent, type OrderEventType, type OrderPlaced } from './schemas.ts';
export { orderChangeOf, orderEventOf } from './from-stream.ts';
export { orderEventFromSqsRecord } from './sqs-message.ts';
export { orderEventConsumer, streamBatchHandler } from './batch-handlers.ts';
export { publishChange } from './publish-change.ts';
export { notifyCustomer } from '../notifications/notify-customer.ts';
