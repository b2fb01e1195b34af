import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '../dynamodb/dynamodb-local.ts';
import { freePort } from '../core/ports.ts';
import { createLocalStreamMapping, type LocalStreamMapping } from './local-stream-mapping.ts';
import { streamMappingFromTemplate } from './mapping-config.ts';
import type { StreamOnFailureRecord } from './on-failure-record.ts';

// Independent of the integration suite's global setup: this file starts its own DynamoDB Local
// on a free port, so it also runs where the whole local cloud is not available.

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:OrderEventsPublisher';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:OrderStreamDlq';

let dynamo: RunningDynamoDbLocal;
let client: DynamoDBClient;
const mappings: LocalStreamMapping[] = [];

beforeAll(async () => {
  dynamo = await startDynamoDbLocal(await freePort());
  client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterEach(async () => {
  await Promise.all(mappings.splice(0).map((mapping) => mapping.stop()));
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
});

let tables = 0;
async function createTable(): Promise<{ tableName: string; streamArn: string }> {
  tables += 1;
  const tableName = `StreamTest${tables}`;
  const { TableDescription: table } = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const streamArn = table?.LatestStreamArn;
  if (streamArn === undefined) throw new Error('DynamoDB Local created the table without a stream');
  return { tableName, streamArn };
}

/** A mapping as the local cloud builds it: template properties in, DynamoDB Local underneath. */
function mapping(properties: Record<string, unknown>, handler: (records: DynamoDBRecord[]) => unknown = () => undefined) {
  const events: DynamoDBRecord[][] = [];
  const delivered: Array<{ destination: string; record: StreamOnFailureRecord }> = [];
  const created = createLocalStreamMapping({
    endpoint: dynamo.endpoint,
    settings: streamMappingFromTemplate(properties),
    functionArn: FUNCTION_ARN,
    invoke: async (event) => {
      events.push(event.Records);
      return handler(event.Records);
    },
    sendToOnFailureDestination: async (destination, body) => {
      delivered.push({ destination, record: JSON.parse(body) as StreamOnFailureRecord });
    },
    pollIntervalMs: 20,
    discoveryIntervalMs: 100,
    retryDelay: { initialMs: 10, maxMs: 10 },
  });
  mappings.push(created);
  return { mapping: created, events, delivered };
}

const key = (pk: string) => ({ PK: { S: pk }, SK: { S: 'ORDER' } });
const pkOf = (record: DynamoDBRecord | undefined) => record?.dynamodb?.Keys?.PK?.S;

describe('StreamEventSource on DynamoDB Local', () => {
  it('invokes with the real stream records of each write, images included, in order', async () => {
    const { tableName, streamArn } = await createTable();
    const { mapping: source, events } = mapping({ Stream: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 });
    const startedAt = Math.floor(Date.now() / 1000);

    await client.send(new PutItemCommand({ TableName: tableName, Item: { ...key('ORDER#1'), status: { S: 'PENDING' }, total: { N: '250' } } }));
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key('ORDER#1'),
        UpdateExpression: 'SET #status = :paid',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':paid': { S: 'PAID' } },
      }),
    );
    await client.send(new PutItemCommand({ TableName: tableName, Item: { ...key('ORDER#2'), status: { S: 'PENDING' } } }));
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: key('ORDER#1') }));
    await source.start();
    await source.idle();

    const records = events.flat();
    expect(records.map((record) => [record.eventName, pkOf(record)])).toEqual([
      ['INSERT', 'ORDER#1'],
      ['MODIFY', 'ORDER#1'],
      ['INSERT', 'ORDER#2'],
      ['REMOVE', 'ORDER#1'],
    ]);
    const [inserted, modified, , removed] = records;
    for (const record of records) {
      expect(record).toMatchObject({ eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1', eventSourceARN: streamArn });
      expect(record.eventID).toEqual(expect.any(String));
      expect(record.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
      expect(record.dynamodb?.SizeBytes).toBeGreaterThan(0);
      // Epoch seconds (DynamoDB Local rounds down to the minute).
      expect(record.dynamodb?.ApproximateCreationDateTime).toBeGreaterThan(startedAt - 120);
      expect(record.dynamodb?.ApproximateCreationDateTime).toBeLessThanOrEqual(startedAt + 60);
    }
    expect(inserted?.dynamodb?.NewImage).toEqual({ ...key('ORDER#1'), status: { S: 'PENDING' }, total: { N: '250' } });
    expect(inserted?.dynamodb).not.toHaveProperty('OldImage');
    expect(modified?.dynamodb?.OldImage?.status).toEqual({ S: 'PENDING' });
    expect(modified?.dynamodb?.NewImage?.status).toEqual({ S: 'PAID' });
    expect(removed?.dynamodb?.OldImage?.status).toEqual({ S: 'PAID' });
    expect(removed?.dynamodb).not.toHaveProperty('NewImage');
    const sequence = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
    expect([...sequence].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequence);
  });

  it('with LATEST, delivers only what is written after start', async () => {
    const { tableName, streamArn } = await createTable();
    await client.send(new PutItemCommand({ TableName: tableName, Item: key('BEFORE') }));
    const { mapping: source, events } = mapping({ Stream: streamArn, StartingPosition: 'LATEST' });
    await source.start();
    await client.send(new PutItemCommand({ TableName: tableName, Item: key('AFTER') }));
    await source.idle();

    expect(events.flat().map(pkOf)).toEqual(['AFTER']);
  });

  it('filters, retries a partial failure, and sends the on-failure record for what never succeeds', async () => {
    const { tableName, streamArn } = await createTable();
    const { mapping: source, events, delivered } = mapping(
      {
        Stream: streamArn,
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 10,
        MaximumRetryAttempts: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['order'] } } } }) }] },
        DestinationConfig: { OnFailure: { Destination: DLQ_ARN } },
      },
      (records) => ({
        batchItemFailures: records
          .filter((record) => pkOf(record) === 'BAD')
          .map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })),
      }),
    );
    for (const [pk, kind] of [
      ['GOOD-1', 'order'],
      ['NOISE', 'audit'],
      ['BAD', 'order'],
      ['GOOD-2', 'order'],
    ] as const) {
      await client.send(new PutItemCommand({ TableName: tableName, Item: { ...key(pk), kind: { S: kind } } }));
    }
    await source.start();
    await source.idle();

    expect(events.map((batch) => batch.map(pkOf))).toEqual([
      ['GOOD-1', 'BAD', 'GOOD-2'],
      ['BAD', 'GOOD-2'],
    ]);
    const bad = events[0]?.[1]?.dynamodb?.SequenceNumber;
    const good2 = events[0]?.[2]?.dynamodb?.SequenceNumber;
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.destination).toBe(DLQ_ARN);
    expect(delivered[0]?.record).toMatchObject({
      requestContext: { functionArn: FUNCTION_ARN, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
      version: '1.0',
      DDBStreamBatchInfo: { startSequenceNumber: bad, endSequenceNumber: good2, batchSize: 2, streamArn },
    });
    expect(delivered[0]?.record.DDBStreamBatchInfo.shardId).toMatch(/^shardId-/);
  });
});
