import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { requiredEnv } from '../config.ts';
import { tracer } from '../observability.ts';
import { orderEvent, routingAttributesOf, type OrderEvent } from './schemas.ts';

// Built on first use, once per container; only the functions that publish load the SNS client.
let sns: SNSClient | undefined;
const client = (): SNSClient => (sns ??= tracer.captureAWSv3Client(new SNSClient({})));

/** Publishes a validated event to the order events topic, with its routing attributes. */
export async function publishOrderEvent(event: OrderEvent): Promise<void> {
  const valid = orderEvent.parse(event);
  const attributes = routingAttributesOf(valid);
  await client().send(
    new PublishCommand({
      TopicArn: requiredEnv('ORDER_EVENTS_TOPIC_ARN'),
      Message: JSON.stringify(valid),
      MessageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      ),
    }),
  );
}
