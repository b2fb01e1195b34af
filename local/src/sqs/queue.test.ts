import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { SqsError } from './errors.ts';
import { QueueRegistry } from './registry.ts';
import type { QueueSettings } from './queue.ts';

function setup(settings: Partial<QueueSettings> = {}) {
  const clock = new ManualClock();
  const registry = new QueueRegistry({ clock });
  const queue = registry.create('orders', settings);
  return { clock, registry, queue };
}

async function expectSqsError(action: () => unknown, type: string): Promise<SqsError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SqsError);
  expect((caught as SqsError).type).toBe(type);
  return caught as SqsError;
}

describe('Queue send and receive', () => {
  it('returns the message with its system attributes and hides it for the visibility timeout', async () => {
    const { clock, queue } = setup({ visibilityTimeout: 30 });
    const sentAt = clock.now();
    const sent = queue.send({ body: 'hello', senderId: 'AIDATEST' });
    expect(sent.md5OfMessageBody).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(sent.md5OfMessageAttributes).toBeUndefined();

    clock.advance(1000);
    const [message] = await queue.receive();
    expect(message).toMatchObject({
      messageId: sent.messageId,
      body: 'hello',
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(sentAt),
        ApproximateFirstReceiveTimestamp: String(sentAt + 1000),
        SenderId: 'AIDATEST',
      },
    });
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    expect(await queue.receive()).toEqual([]);

    clock.advance(29_999);
    expect(await queue.receive()).toEqual([]);
    clock.advance(1);
    const [again] = await queue.receive();
    expect(again?.attributes.ApproximateReceiveCount).toBe('2');
    expect(again?.attributes.ApproximateFirstReceiveTimestamp).toBe(String(sentAt + 1000));
    expect(again?.receiptHandle).not.toBe(message?.receiptHandle);
  });

  it('keeps message attributes and reports their MD5', async () => {
    const { queue } = setup();
    const sent = queue.send({
      body: 'x',
      messageAttributes: { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } },
    });
    expect(sent.md5OfMessageAttributes).toBe('19e27d4e946b072f3f58da80d94fd778');
    const [message] = await queue.receive();
    expect(message?.messageAttributes).toEqual({
      attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
    });
    expect(message?.md5OfMessageAttributes).toBe('19e27d4e946b072f3f58da80d94fd778');
  });

  it('honours MaxNumberOfMessages and a per-request visibility timeout', async () => {
    const { clock, queue } = setup({ visibilityTimeout: 30 });
    for (let i = 0; i < 12; i++) queue.send({ body: `m${i}` });
    const first = await queue.receive({ maxNumberOfMessages: 10, visibilityTimeout: 5 });
    expect(first.map((m) => m.body)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect(await queue.receive({ maxNumberOfMessages: 10 })).toHaveLength(2);
    clock.advance(5000);
    expect(await queue.receive({ maxNumberOfMessages: 10 })).toHaveLength(10);
  });

  it('rejects out-of-range receive parameters like SQS', async () => {
    const { queue } = setup();
    await expectSqsError(() => queue.receive({ maxNumberOfMessages: 11 }), 'InvalidParameterValue');
    await expectSqsError(() => queue.receive({ maxNumberOfMessages: 0 }), 'InvalidParameterValue');
    await expectSqsError(() => queue.receive({ waitTimeSeconds: 21 }), 'InvalidParameterValue');
    await expectSqsError(() => queue.receive({ visibilityTimeout: 43_201 }), 'InvalidParameterValue');
  });

  it('delays delivery by the queue default or the per-message DelaySeconds', async () => {
    const { clock, queue } = setup({ delaySeconds: 10 });
    queue.send({ body: 'queue-delay' });
    queue.send({ body: 'no-delay', delaySeconds: 0 });
    queue.send({ body: 'long-delay', delaySeconds: 60 });
    expect(queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 2 });
    const bodiesNow = async () => {
      const messages = await queue.receive({ maxNumberOfMessages: 10 });
      for (const message of messages) queue.delete(message.receiptHandle);
      return messages.map((m) => m.body);
    };
    expect(await bodiesNow()).toEqual(['no-delay']);
    clock.advance(9999);
    expect(await bodiesNow()).toEqual([]);
    clock.advance(1);
    expect(await bodiesNow()).toEqual(['queue-delay']);
    clock.advance(50_000);
    expect(await bodiesNow()).toEqual(['long-delay']);
    await expectSqsError(() => queue.send({ body: 'x', delaySeconds: 901 }), 'InvalidParameterValue');
  });

  it('validates bodies the way SendMessage does', async () => {
    const { queue } = setup({ maximumMessageSize: 1024 });
    await expectSqsError(() => queue.send({ body: '' }), 'MissingParameter');
    await expectSqsError(() => queue.send({ body: 'bad\u0000char' }), 'InvalidMessageContents');
    await expectSqsError(() => queue.send({ body: 'x'.repeat(1025) }), 'InvalidParameterValue');
    // Attributes count toward the size limit too.
    await expectSqsError(
      () =>
        queue.send({
          body: 'x'.repeat(1000),
          messageAttributes: { big: { DataType: 'String', StringValue: 'y'.repeat(30) } },
        }),
      'InvalidParameterValue',
    );
    expect(queue.send({ body: 'x'.repeat(1024) }).messageId).toBeTruthy();
  });
});

describe('Queue delete', () => {
  it('deletes with the current receipt handle, and repeating the delete is harmless', async () => {
    const { queue } = setup();
    queue.send({ body: 'a' });
    const [message] = await queue.receive();
    expect(queue.delete(message!.receiptHandle)).toBe(true);
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(queue.delete(message!.receiptHandle)).toBe(false);
  });

  it('accepts but ignores a stale receipt handle once the message was received again', async () => {
    const { clock, queue } = setup({ visibilityTimeout: 10 });
    queue.send({ body: 'a' });
    const [first] = await queue.receive();
    clock.advance(10_000);
    const [second] = await queue.receive();

    expect(queue.delete(first!.receiptHandle)).toBe(false);
    expect(queue.depth().inFlight).toBe(1);
    expect(queue.delete(second!.receiptHandle)).toBe(true);
  });

  it('still deletes with the latest handle after the visibility timeout ran out', async () => {
    const { clock, queue } = setup({ visibilityTimeout: 10 });
    queue.send({ body: 'a' });
    const [message] = await queue.receive();
    clock.advance(60_000);
    expect(queue.delete(message!.receiptHandle)).toBe(true);
    expect(await queue.receive()).toEqual([]);
  });

  it('rejects malformed handles and handles issued by another queue', async () => {
    const { registry, queue } = setup();
    const other = registry.create('other');
    other.send({ body: 'b' });
    const [foreign] = await other.receive();
    await expectSqsError(() => queue.delete('not-a-handle'), 'ReceiptHandleIsInvalid');
    await expectSqsError(() => queue.delete(foreign!.receiptHandle), 'ReceiptHandleIsInvalid');
  });
});

describe('Queue ChangeMessageVisibility', () => {
  it('extends or ends the visibility timeout from now', async () => {
    const { clock, queue } = setup({ visibilityTimeout: 10 });
    queue.send({ body: 'a' });
    const [message] = await queue.receive();
    clock.advance(5000);
    queue.changeVisibility(message!.receiptHandle, 60);
    clock.advance(59_999);
    expect(await queue.receive()).toEqual([]);
    clock.advance(1);
    const [again] = await queue.receive();
    queue.changeVisibility(again!.receiptHandle, 0);
    expect(queue.depth().visible).toBe(1);
  });

  it('does not carry a changed timeout over to the next receive', async () => {
    const { clock, queue } = setup({ visibilityTimeout: 10 });
    queue.send({ body: 'a' });
    const [message] = await queue.receive();
    queue.changeVisibility(message!.receiptHandle, 0);
    await queue.receive();
    clock.advance(10_000);
    expect(queue.depth().visible).toBe(1);
  });

  it('fails for stale handles, messages not in flight and beyond 12 hours in flight', async () => {
    const { clock, queue } = setup({ visibilityTimeout: 10 });
    queue.send({ body: 'a' });
    const [first] = await queue.receive();
    clock.advance(10_000);
    await expectSqsError(() => queue.changeVisibility(first!.receiptHandle, 30), 'MessageNotInflight');

    const [second] = await queue.receive();
    await expectSqsError(
      () => queue.changeVisibility(first!.receiptHandle, 30),
      'InvalidParameterValue',
    );
    clock.advance(5000);
    await expectSqsError(
      () => queue.changeVisibility(second!.receiptHandle, 43_200),
      'InvalidParameterValue',
    );
    queue.changeVisibility(second!.receiptHandle, 43_195);
    queue.delete(second!.receiptHandle);
    await expectSqsError(
      () => queue.changeVisibility(second!.receiptHandle, 30),
      'InvalidParameterValue',
    );
  });
});

describe('Queue redrive policy', () => {
  it('moves a message to the DLQ when it would be received more than maxReceiveCount times', async () => {
    const clock = new ManualClock();
    const registry = new QueueRegistry({ clock });
    const dlq = registry.create('orders-dlq');
    const queue = registry.create('orders', {
      visibilityTimeout: 10,
      redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 },
    });
    const sentAt = clock.now();
    const sent = queue.send({ body: 'poison' });

    expect(await queue.receive()).toHaveLength(1);
    clock.advance(10_000);
    const [second] = await queue.receive();
    expect(second?.attributes.ApproximateReceiveCount).toBe('2');
    clock.advance(10_000);

    expect(await queue.receive()).toEqual([]);
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const [dead] = await dlq.receive();
    expect(dead).toMatchObject({
      messageId: sent.messageId,
      body: 'poison',
      attributes: {
        SentTimestamp: String(sentAt),
        DeadLetterQueueSourceArn: queue.arn,
        ApproximateReceiveCount: '3',
      },
    });
  });

  it('lets other messages through while dead-lettering the exhausted one', async () => {
    const clock = new ManualClock();
    const registry = new QueueRegistry({ clock });
    const dlq = registry.create('dlq');
    const queue = registry.create('q', {
      visibilityTimeout: 10,
      redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 },
    });
    queue.send({ body: 'poison' });
    await queue.receive();
    clock.advance(10_000);
    queue.send({ body: 'fresh' });
    expect((await queue.receive({ maxNumberOfMessages: 10 })).map((m) => m.body)).toEqual(['fresh']);
    expect(dlq.depth().visible).toBe(1);
  });

  it('counts the DLQ retention period from the original enqueue time', async () => {
    const clock = new ManualClock();
    const registry = new QueueRegistry({ clock });
    const dlq = registry.create('dlq', { messageRetentionPeriod: 120 });
    const queue = registry.create('q', {
      visibilityTimeout: 60,
      redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 },
    });
    queue.send({ body: 'old' });
    await queue.receive();
    clock.advance(60_000);
    await queue.receive();
    expect(dlq.depth().visible).toBe(1);
    clock.advance(60_000);
    expect(dlq.depth().visible).toBe(0);
  });
});

describe('Queue retention, purge and depth', () => {
  it('drops messages once the retention period has passed, in flight or not', async () => {
    const { clock, queue } = setup({ messageRetentionPeriod: 60, visibilityTimeout: 120 });
    queue.send({ body: 'a' });
    queue.send({ body: 'b' });
    await queue.receive();
    clock.advance(59_999);
    expect(queue.depth()).toEqual({ visible: 1, inFlight: 1, delayed: 0 });
    clock.advance(1);
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('purges visible, in-flight and delayed messages', async () => {
    const { queue } = setup();
    queue.send({ body: 'visible' });
    queue.send({ body: 'delayed', delaySeconds: 30 });
    queue.send({ body: 'in flight' });
    await queue.receive();
    expect(queue.depth()).toEqual({ visible: 1, inFlight: 1, delayed: 1 });
    queue.purge();
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('reports its attributes as strings, including the redrive policy', () => {
    const { registry } = setup();
    const queue = registry.create('with-dlq', {
      redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:orders', maxReceiveCount: 5 },
    });
    queue.send({ body: 'a' });
    expect(queue.attributes()).toMatchObject({
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:with-dlq',
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      VisibilityTimeout: '30',
      MessageRetentionPeriod: '345600',
      RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:orders","maxReceiveCount":5}',
    });
  });
});

describe('Queue long polling', () => {
  it('resolves as soon as a message is sent during the wait', async () => {
    const { clock, queue } = setup();
    const pending = queue.receive({ waitTimeSeconds: 20 });
    clock.advance(3000);
    queue.send({ body: 'late' });
    const messages = await pending;
    expect(messages.map((m) => m.body)).toEqual(['late']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('resolves empty when the wait ends, and not before', async () => {
    const { clock, queue } = setup();
    let result: unknown;
    const pending = queue.receive({ waitTimeSeconds: 5 }).then((r) => (result = r));
    clock.advance(4999);
    await Promise.resolve();
    expect(result).toBeUndefined();
    clock.advance(1);
    await pending;
    expect(result).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('wakes when an in-flight message times out or a delay ends during the wait', async () => {
    const { clock, queue } = setup({ visibilityTimeout: 4 });
    queue.send({ body: 'retry' });
    await queue.receive();
    const retried = queue.receive({ waitTimeSeconds: 20 });
    clock.advance(4000);
    const [retry] = await retried;
    expect(retry?.body).toBe('retry');
    queue.delete(retry!.receiptHandle);

    queue.send({ body: 'delayed', delaySeconds: 7 });
    const delayed = queue.receive({ waitTimeSeconds: 20 });
    clock.advance(7000);
    expect((await delayed).map((m) => m.body)).toEqual(['delayed']);
  });

  it('uses the queue ReceiveMessageWaitTimeSeconds when the request gives none', async () => {
    const { clock, queue } = setup({ receiveMessageWaitTimeSeconds: 10 });
    const pending = queue.receive();
    clock.advance(9000);
    queue.send({ body: 'x' });
    expect(await pending).toHaveLength(1);
  });

  it('serves waiting polls in arrival order', async () => {
    const { clock, queue } = setup();
    const first = queue.receive({ waitTimeSeconds: 20 });
    const second = queue.receive({ waitTimeSeconds: 20 });
    queue.send({ body: 'one' });
    queue.send({ body: 'two' });
    expect((await first).map((m) => m.body)).toEqual(['one']);
    expect((await second).map((m) => m.body)).toEqual(['two']);
    clock.advance(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ends early with no messages when aborted or when waits are cancelled', async () => {
    const { clock, queue } = setup();
    const controller = new AbortController();
    const aborted = queue.receive({ waitTimeSeconds: 20, signal: controller.signal });
    controller.abort();
    expect(await aborted).toEqual([]);

    const cancelled = queue.receive({ waitTimeSeconds: 20 });
    queue.cancelWaits();
    expect(await cancelled).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    queue.send({ body: 'kept' });
    expect(queue.depth().visible).toBe(1);
  });
});
