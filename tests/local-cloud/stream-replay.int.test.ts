import { randomUUID } from 'node:crypto';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ReplayClients, replayStreamFailures } from '../../scripts/replay/stream-failures.ts';
import { clearFaults, injectFault } from '../support/faults.ts';
import { api } from '../support/http.ts';
import { dlqMessages, queueDepths, queueUrl, sendMessage, sqsClient } from '../support/messaging.ts';
import { fulfilmentExecutions } from '../support/sagas.ts';
import { notificationItems } from '../support/table.ts';
import { createUser, type TestUser } from '../support/users.ts';
import { waitFor } from '../support/wait.ts';

// The stream publisher's failed batches, replayed: a fault makes PublishOrderEventsFunction fail
// for one customer's order past the mapping's MaximumRetryAttempts (the integration time scale
// shortens the backoff), so Lambda's on-failure record (shard, sequence numbers) lands in
// OrderEventsPublisherDLQ and no event of the order went out. With the fault cleared, the replay
// (the same code `npm run replay` runs, on SDK clients pointed at the local cloud) re-reads the
// stream and hands the records to the publisher: every event reaches its consumers once.

const PUBLISHER = 'PublishOrderEventsFunction';
const DLQ = 'OrderEventsPublisherDLQ';
const address = { name: 'Replay Tester', line1: '1 Stream St', city: 'Springfield', postalCode: '12345', country: 'US' };

describe('replaying the publisher’s failed stream batches', () => {
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  let clients: ReplayClients;
  let customer: TestUser;

  beforeAll(async () => {
    clients = {
      sqs: sqsClient(),
      streams: new DynamoDBStreamsClient({ endpoint: inject('dynamoDbEndpoint'), region: inject('region'), credentials }),
      lambda: new LambdaClient({ endpoint: inject('controlUrl'), region: inject('region'), credentials }),
    };
    customer = await createUser();
  });
  afterEach(() => clearFaults());
  afterAll(() => {
    clients.streams.destroy();
    clients.lambda.destroy();
  });

  const replay = () => replayStreamFailures(clients, { queueUrl: queueUrl(DLQ) });

  it('publishes the events of a batch the publisher gave up on, once each, and empties the DLQ', { timeout: 200_000 }, async () => {
    // Only this customer's changes fail (its id is in every image of its orders).
    await injectFault(PUBLISHER, { match: customer.sub });
    const placed = await api('POST', '/orders', {
      token: customer.token,
      body: { items: [{ productId: inject('productIds')[0], quantity: 1 }], shippingAddress: address },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.json.orderId as string;

    const [onFailure] = await waitFor(async () => {
      const messages = await dlqMessages(DLQ);
      return messages.length > 0 ? messages : undefined;
    }, { timeoutMs: 45_000 });
    const record = JSON.parse(onFailure!.body);
    expect(record).toMatchObject({ requestContext: { condition: 'RetryAttemptsExhausted' }, DDBStreamBatchInfo: { shardId: expect.any(String) } });
    // Nothing of the order went out: no saga, no notification.
    expect(await fulfilmentExecutions(orderId)).toEqual([]);
    expect(await notificationItems(orderId)).toEqual([]);

    await clearFaults();
    const report = await replay();
    expect(report.kept).toEqual([]);
    expect(report.replayed.length).toBeGreaterThanOrEqual(1);
    expect((await queueDepths())[DLQ]).toMatchObject({ visible: 0, inFlight: 0 });

    // OrderPlaced started the saga; its confirmation flowed through the (now healthy) publisher.
    await waitFor(async () => {
      const statuses = (await notificationItems(orderId)).map((item) => item.status);
      return statuses.includes('PENDING') && statuses.includes('CONFIRMED') ? statuses : undefined;
    }, { timeoutMs: 90_000 });

    // The same batch replayed again (an operator running it twice): the events carry the same ids,
    // so the consumers drop them.
    await sendMessage(DLQ, onFailure!.body);
    const again = await replay();
    expect(again.kept).toEqual([]);
    expect(again.replayed).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const notifications = await notificationItems(orderId);
    expect(notifications.map((item) => `${item.eventType}/${item.status}`).sort()).toEqual(['OrderPlaced/PENDING', 'OrderStatusChanged/CONFIRMED']);
    expect(await fulfilmentExecutions(orderId)).toHaveLength(1);
    expect((await queueDepths())[DLQ]).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it('keeps a message whose records are past the stream’s retention, and says so', async () => {
    const { Streams = [] } = await clients.streams.send(new ListStreamsCommand({ TableName: inject('tableName') }));
    const streamArn = Streams[0]!.StreamArn!;
    const trimmed = {
      requestContext: { requestId: randomUUID(), functionArn: `arn:aws:lambda:${inject('region')}:000000000000:function:${PUBLISHER}`, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 51 },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        // A shard the stream no longer has, as a shard is deleted 24 hours after it closed.
        shardId: 'shardId-00000001000000000000-00000000',
        startSequenceNumber: '000000000000000000001',
        endSequenceNumber: '000000000000000000002',
        approximateArrivalOfFirstRecord: '2020-01-01T00:00:00Z',
        approximateArrivalOfLastRecord: '2020-01-01T00:00:00Z',
        batchSize: 1,
        streamArn,
      },
    };
    const messageId = await sendMessage(DLQ, JSON.stringify(trimmed));

    const report = await replay();
    expect(report.replayed).toEqual([]);
    expect(report.kept).toEqual([expect.objectContaining({ messageId, reason: 'past-retention', sequenceNumbers: { start: '000000000000000000001', end: '000000000000000000002' } })]);
    // Kept, and visible again at once for the operator to look at.
    expect((await dlqMessages(DLQ)).map((message) => message.messageId)).toEqual([messageId]);
    await sqsClient().send(new PurgeQueueCommand({ QueueUrl: queueUrl(DLQ) }));
  });
});
