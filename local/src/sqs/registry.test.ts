import { describe, expect, it } from 'vitest';
import { SqsError } from './errors.ts';
import { parseQueueUrl, QueueRegistry, queueUrl } from './registry.ts';

describe('QueueRegistry', () => {
  const registry = new QueueRegistry();
  const queue = registry.create('orders-events');

  it('finds a queue by name, ARN or URL from any host', () => {
    expect(queue.arn).toBe('arn:aws:sqs:us-east-1:000000000000:orders-events');
    expect(registry.resolve('orders-events')).toBe(queue);
    expect(registry.resolve(queue.arn)).toBe(queue);
    expect(registry.resolve('http://127.0.0.1:4566/000000000000/orders-events')).toBe(queue);
    expect(registry.resolve('https://sqs.us-east-1.amazonaws.com/000000000000/orders-events')).toBe(queue);
  });

  it('does not resolve other accounts, regions or unknown names', () => {
    expect(registry.resolve('arn:aws:sqs:eu-west-1:000000000000:orders-events')).toBeUndefined();
    expect(registry.resolve('http://127.0.0.1:4566/111111111111/orders-events')).toBeUndefined();
    expect(registry.resolve('missing')).toBeUndefined();
    expect(() => registry.require('missing')).toThrowError(SqsError);
  });

  it('builds the URL clients use against the local endpoint', () => {
    const url = queueUrl('http://127.0.0.1:9324/', queue);
    expect(url).toBe('http://127.0.0.1:9324/000000000000/orders-events');
    expect(parseQueueUrl(url)).toEqual({ accountId: '000000000000', name: 'orders-events' });
  });

  it('refuses duplicate, invalid and FIFO queue names', () => {
    expect(() => registry.create('orders-events')).toThrowError(/already exists/);
    expect(() => registry.create('bad name')).toThrowError(/QueueName is invalid/);
    expect(() => registry.create('orders.fifo')).toThrowError(/FIFO/);
  });

  it('knows which queues dead-letter into a queue', () => {
    const local = new QueueRegistry();
    const dlq = local.create('dlq');
    const source = local.create('source', {
      redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 },
    });
    expect(local.deadLetterSourcesOf(dlq)).toEqual([source]);
    expect(local.deadLetterSourcesOf(source)).toEqual([]);
  });
});
