import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbThrottleProxy, startDynamoDbThrottleProxy } from './dynamodb-throttle-proxy.ts';
import { FaultTally } from './fault-tally.ts';

describe('the DynamoDB throttle proxy', () => {
  const received: string[] = [];
  const upstream = createServer((request, response) => {
    received.push(String(request.headers['x-amz-target']));
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"ok":true}'));
  });
  let proxy: DynamoDbThrottleProxy;
  const tally = new FaultTally();

  beforeAll(async () => {
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    proxy = await startDynamoDbThrottleProxy({ target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, random: () => 0, tally });
  });
  afterAll(async () => {
    await proxy.close();
    upstream.close();
  });

  const call = (target: string) =>
    fetch(proxy.endpoint, { method: 'POST', headers: { 'x-amz-target': target }, body: '{"Key":{"PK":{"S":"ORDER#0b7c6f0e-9d3a-4a57-9a38-6b1f3c2d4e5f"}}}' });

  it('forwards everything while its rate is 0', async () => {
    const response = await call('DynamoDB_20120810.PutItem');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('answers data-plane calls with ProvisionedThroughputExceededException before they reach DynamoDB', async () => {
    proxy.setRate(1);
    received.length = 0;
    const response = await call('DynamoDB_20120810.UpdateItem');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException' });
    expect(received).toEqual([]);
    expect(tally.faultsOn('0b7c6f0e-9d3a-4a57-9a38-6b1f3c2d4e5f')).toBe(1);
  });

  it('never throttles the streams API or control-plane calls', async () => {
    proxy.setRate(1);
    expect((await call('DynamoDBStreams_20120810.GetRecords')).status).toBe(200);
    expect((await call('DynamoDB_20120810.DescribeTable')).status).toBe(200);
  });
});
