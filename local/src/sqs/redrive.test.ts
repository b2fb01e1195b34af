import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { startMessageMoveTask } from './redrive.ts';
import { QueueRegistry } from './registry.ts';

async function deadLetter(maxReceiveCount = 1) {
  const clock = new ManualClock();
  const registry = new QueueRegistry({ clock });
  const dlq = registry.create('orders-dlq');
  const source = registry.create('orders', {
    visibilityTimeout: 10,
    redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount },
  });
  const sent = source.send({
    body: 'poison',
    messageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
  });
  await source.receive();
  clock.advance(10_000);
  await source.receive(); // moves it to the DLQ
  return { clock, registry, dlq, source, sent };
}

describe('startMessageMoveTask', () => {
  it('moves DLQ messages back to their source queue as new messages', async () => {
    const { clock, registry, dlq, source, sent } = await deadLetter();
    expect(dlq.depth().visible).toBe(1);
    clock.advance(5000);

    const result = startMessageMoveTask(registry, { sourceArn: dlq.arn });
    expect(result).toMatchObject({ movedCount: 1, skippedCount: 0 });
    expect(result.taskHandle).toEqual(expect.any(String));
    expect(dlq.depth().visible).toBe(0);

    const [redriven] = await source.receive();
    expect(redriven).toMatchObject({
      body: 'poison',
      messageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(clock.now()) },
    });
    expect(redriven?.messageId).not.toBe(sent.messageId);
    expect(redriven?.attributes.DeadLetterQueueSourceArn).toBeUndefined();
  });

  it('moves to an explicit destination instead when one is given', async () => {
    const { registry, dlq, source } = await deadLetter();
    const replay = registry.create('replay');
    startMessageMoveTask(registry, { sourceArn: dlq.arn, destinationArn: replay.arn });
    expect(replay.depth().visible).toBe(1);
    expect(source.depth().visible).toBe(0);
  });

  it('leaves in-flight DLQ messages where they are', async () => {
    const { registry, dlq, source } = await deadLetter();
    await dlq.receive();
    expect(startMessageMoveTask(registry, { sourceArn: dlq.arn }).movedCount).toBe(0);
    expect(dlq.depth().inFlight).toBe(1);
    expect(source.depth().visible).toBe(0);
  });

  it('refuses queues that are no DLQ and unknown queues', async () => {
    const { registry, source } = await deadLetter();
    expect(() => startMessageMoveTask(registry, { sourceArn: source.arn })).toThrowError(
      /Dead Letter Queue/,
    );
    expect(() =>
      startMessageMoveTask(registry, { sourceArn: 'arn:aws:sqs:us-east-1:000000000000:nope' }),
    ).toThrowError(/does not exist/);
  });
});
