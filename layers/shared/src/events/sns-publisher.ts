import { snsClient } from '../platform/clients.ts';
import { orderEventsTopicArn } from '../platform/config.ts';
import { orderEvent, routingAttributesOf, type OrderEvent } from './schemas.ts';

/** Publishes a validated event to the order events topic, with its routing attributes. */
export async function publishOrderEvent(event: OrderEvent): Promise<void> {
  const valid = orderEvent.parse(event);
  const attributes = routingAttributesOf(valid);
  const { sdk, client } = await snsClient();
  await client.send(
    new sdk.PublishCommand({
      TopicArn: orderEventsTopicArn(),
      Message: JSON.stringify(valid),
      MessageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      ),
    }),
  );
}
