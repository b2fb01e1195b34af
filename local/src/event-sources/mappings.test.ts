import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFunctionDefinitions } from '../lambda/from-template.ts';
import type { InvocationOutcome, LambdaInvoker } from '../lambda/invocation.ts';
import { readEventSourceDefinitions } from './from-template.ts';
import { EventSourceJournal } from './journal.ts';
import { type RunningEventSourceMappings, startEventSourceMappings } from './mappings.ts';
import { fixtureTemplate } from '../../test-support/messaging-fixtures/fixture-template.ts';
import { type LocalMessaging, startLocalMessaging } from '../cloud/local-messaging.ts';

/** A Lambda service whose WorkerFunction reports every message whose body says "bad" as failed. */
function fakeLambda() {
  const events: SQSEvent[] = [];
  const lambda: LambdaInvoker = {
    async invoke(functionLogicalId, event): Promise<InvocationOutcome> {
      const sqsEvent = event as SQSEvent;
      events.push(sqsEvent);
      const failures = sqsEvent.Records.filter((record) => record.body.includes('bad')).map((record) => ({ itemIdentifier: record.messageId }));
      return { kind: 'success', requestId: functionLogicalId, payload: { batchItemFailures: failures }, durationMs: 1 };
    },
  };
  return { lambda, events };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const silent = { info: () => {}, warn: () => {}, error: (message: string) => console.error(message) };

describe('startEventSourceMappings (SQS)', () => {
  const fixture = fixtureTemplate();
  const { lambda, events } = fakeLambda();
  const journal = new EventSourceJournal();
  let messaging: LocalMessaging;
  let mappings: RunningEventSourceMappings;

  beforeAll(async () => {
    // 100 times faster: WorkQueue's 60 s visibility timeout lasts 600 ms.
    messaging = await startLocalMessaging({ ...fixture, ports: { sqs: 0, sns: 0 }, timeScale: 0.01, onWarning: () => {} });
    const functions = readFunctionDefinitions(fixture.template, fixture.resolver, fixture.directory);
    const { mappings: definitions } = readEventSourceDefinitions(functions, fixture.resolver, messaging.queues);
    mappings = await startEventSourceMappings({
      definitions: definitions.filter((definition) => definition.kind === 'sqs'),
      lambda,
      messaging,
      dynamoDbEndpoint: 'http://127.0.0.1:1',
      region: 'us-east-1',
      functionArn: (id) => `arn:aws:lambda:us-east-1:000000000000:function:${id}`,
      timeScale: 0.01,
      journal,
      log: silent,
    });
  });

  afterAll(async () => {
    await mappings?.stop();
    await messaging?.stop();
  });

  const queue = (logicalId: string) => messaging.queues.find((candidate) => candidate.logicalId === logicalId)!.queue;

  it('invokes the function with batches, deletes what succeeded and dead-letters what keeps failing', async () => {
    expect(mappings.functionLogicalIds).toEqual(['WorkerFunction']);
    const work = queue('WorkQueue');
    for (const body of ['good 1', 'bad', 'good 2']) work.send({ body });

    await until(() => queue('WorkDLQ').depth().visible === 1);
    const bodies = events.map((event) => event.Records.map((record) => record.body));
    expect(bodies[0]).toEqual(['good 1', 'bad', 'good 2']);
    expect(bodies.slice(1)).toEqual([['bad'], ['bad']]);
    expect(events[0]?.Records[0]).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: work.arn, attributes: { ApproximateReceiveCount: '1' } });
    expect(work.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    const [first, ...retries] = journal.list();
    const bad = events[0]!.Records[1]!.messageId;
    expect(first).toMatchObject({ functionLogicalId: 'WorkerFunction', source: 'sqs', sourceLogicalId: 'WorkQueue', outcome: 'partial', failedItemIds: [bad] });
    expect(retries.map((entry) => [entry.itemIds, entry.failedItemIds])).toEqual([
      [[bad], [bad]],
      [[bad], [bad]],
    ]);
  });

  it('does not start a mapping the template disables', async () => {
    queue('AuditQueue').send({ body: 'nobody reads this' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(queue('AuditQueue').depth().visible).toBe(1);
  });

  it('stops every poller: nothing is received after stop()', async () => {
    await mappings.stop();
    const before = events.length;
    queue('WorkQueue').send({ body: 'after stop' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toHaveLength(before);
    expect(queue('WorkQueue').depth().visible + queue('WorkQueue').depth().delayed).toBe(1);
  });
});

describe('startEventSourceMappings (DynamoDB)', () => {
  it('refuses an on-failure destination that is not a queue or topic of the template, before starting anything', async () => {
    const fixture = fixtureTemplate();
    const messaging = await startLocalMessaging({ ...fixture, ports: { sqs: 0, sns: 0 }, timeScale: 1, onWarning: () => {} });
    try {
      const functions = readFunctionDefinitions(fixture.template, fixture.resolver, fixture.directory);
      const stream = readEventSourceDefinitions(functions, fixture.resolver, messaging.queues).mappings.find((mapping) => mapping.kind === 'dynamodb')!;
      const elsewhere = { ...stream, settings: { ...(stream.kind === 'dynamodb' ? stream.settings : ({} as never)), onFailureDestination: 'arn:aws:sqs:us-east-1:000000000000:Gone' } };
      await expect(
        startEventSourceMappings({
          definitions: [elsewhere],
          lambda: fakeLambda().lambda,
          messaging,
          dynamoDbEndpoint: 'http://127.0.0.1:1',
          region: 'us-east-1',
          functionArn: (id) => id,
          timeScale: 1,
          journal: new EventSourceJournal(),
          log: silent,
        }),
      ).rejects.toThrow('PublisherFunction event Changes: DestinationConfig.OnFailure.Destination arn:aws:sqs:us-east-1:000000000000:Gone is not a queue of this template');
    } finally {
      await messaging.stop();
    }
  });
});
