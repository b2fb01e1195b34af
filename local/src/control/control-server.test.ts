import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule } from '../lambda/faults.ts';
import type { InvocationOutcome } from '../lambda/invocation.ts';
import { EventSourceJournal } from '../event-sources/journal.ts';
import type { LocalFunctionDefinition } from '../lambda/from-template.ts';
import type { CapturedInvocation } from '../lambda/lambda-service.ts';
import { type RunningControlServer, startControlServer } from './control-server.ts';

/** The fault API of the Lambda service, remembered instead of applied; invoke echoes or fails. */
function fakeLambda() {
  const faults = new Map<string, { rule: FaultRule; description: string }>();
  const invoked: Array<{ functionLogicalId: string; event: unknown }> = [];
  return {
    faults,
    invoked,
    functions: [{ logicalId: 'NotifyCustomerFunction', functionName: 'orders-notify' } as LocalFunctionDefinition],
    async invoke(functionLogicalId: string, event: unknown): Promise<InvocationOutcome> {
      invoked.push({ functionLogicalId, event });
      if ((event as { fail?: boolean }).fail === true) return { kind: 'error', requestId: 'r', error: { errorType: 'Boom', errorMessage: 'no', trace: [] }, durationMs: 1 };
      return { kind: 'success', requestId: 'r', payload: { batchItemFailures: [] }, durationMs: 1 };
    },
    setFault(functionLogicalId: string, rule: FaultRule, description = 'a custom rule') {
      if (functionLogicalId !== 'NotifyCustomerFunction') throw new Error(`No function ${functionLogicalId} in the template`);
      faults.set(functionLogicalId, { rule, description });
    },
    clearFault: (functionLogicalId: string) => faults.delete(functionLogicalId),
    clearFaults: () => faults.clear(),
    listFaults: () => [...faults].map(([functionLogicalId, { description }]) => ({ functionLogicalId, description })),
    invokeCapturingLogs: async (functionLogicalId: string, event: unknown): Promise<CapturedInvocation> => ({
      outcome: { kind: 'success', requestId: 'r-1', payload: { echoed: event }, durationMs: 3 },
      logLines: [{ functionLogicalId, stream: 'stdout', line: 'handled', requestId: 'r-1' }],
    }),
  };
}

describe('the control endpoint', () => {
  const lambda = fakeLambda();
  const journal = new EventSourceJournal();
  const eventSources = { paused: false, pause: () => void (eventSources.paused = true), resume: () => void (eventSources.paused = false) };
  const changes: string[] = [];
  let server: RunningControlServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, { method, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
  };

  beforeAll(async () => {
    server = await startControlServer({ lambda, journal, eventSources, port: 0, onFaultChange: (message) => changes.push(message) });
  });
  afterAll(() => server.close());

  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('sets, lists and clears a fault that matches inputs containing a text', async () => {
    const set = await call('PUT', '/__local/faults/NotifyCustomerFunction', { match: 'order-42', errorType: 'Boom', errorMessage: 'no' });
    expect(set).toEqual({ status: 200, json: { functionLogicalId: 'NotifyCustomerFunction', description: 'inputs containing "order-42"' } });
    const rule = lambda.faults.get('NotifyCustomerFunction')!.rule;
    expect(rule({ body: 'about order-41' })).toBe(false);
    expect(rule({ body: 'about order-42' })).toMatchObject({ name: 'Boom', message: 'no' });
    expect((await call('GET', '/__local/faults')).json).toEqual({
      faults: [{ functionLogicalId: 'NotifyCustomerFunction', description: 'inputs containing "order-42"' }],
    });
    expect((await call('DELETE', '/__local/faults/NotifyCustomerFunction')).status).toBe(204);
    expect(lambda.faults.size).toBe(0);
    expect(changes).toEqual(['Local fault set: NotifyCustomerFunction fails for inputs containing "order-42"', 'Local fault cleared: NotifyCustomerFunction']);
  });

  it('clears every fault at once', async () => {
    await call('PUT', '/__local/faults/NotifyCustomerFunction', { match: 'x' });
    expect((await call('DELETE', '/__local/faults')).status).toBe(204);
    expect(lambda.faults.size).toBe(0);
  });

  it('explains what it refuses', async () => {
    expect(await call('PUT', '/__local/faults/NotifyCustomerFunction', { match: '' })).toMatchObject({ status: 400, json: { message: expect.stringContaining('"match"') } });
    expect(await call('PUT', '/__local/faults/NotifyCustomerFunction', 'not an object')).toMatchObject({ status: 400 });
    expect(await call('PUT', '/__local/faults/NotifyCustomerFunction', { match: 'x', errorType: 7 })).toMatchObject({ status: 400 });
    expect(await call('PUT', '/__local/faults/NoSuchFunction', { match: 'x' })).toMatchObject({ status: 404, json: { message: expect.stringContaining('NoSuchFunction') } });
    expect(await call('GET', '/elsewhere')).toMatchObject({ status: 404 });
  });

  it('invokes a function with an event and answers its result and log lines', async () => {
    expect(await call('POST', '/__local/functions/NotifyCustomerFunction/invocations', { Records: [] })).toEqual({
      status: 200,
      json: { functionLogicalId: 'NotifyCustomerFunction', requestId: 'r-1', payload: { echoed: { Records: [] } }, durationMs: 3, logLines: [{ stream: 'stdout', line: 'handled' }] },
    });
    expect(await call('POST', '/__local/functions/NoSuchFunction/invocations', {})).toMatchObject({
      status: 404,
      json: { message: expect.stringContaining('No function NoSuchFunction in the template (known: NotifyCustomerFunction)') },
    });
    const malformed = await fetch(`${server.url}/__local/functions/NotifyCustomerFunction/invocations`, { method: 'POST', body: '{"Records": [' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ message: expect.stringContaining('The body is not JSON') });
  });

  it('lists event source batches, by function and after a sequence number', async () => {
    const batch = { source: 'sqs' as const, sourceLogicalId: 'Queue', itemIds: ['m1'], failedItemIds: [], outcome: 'success' as const };
    journal.record({ ...batch, functionLogicalId: 'A' });
    journal.record({ ...batch, functionLogicalId: 'B' });
    journal.record({ ...batch, functionLogicalId: 'A' });
    const { json } = await call('GET', '/__local/event-source-batches?functionLogicalId=A&after=1');
    expect(json.batches).toEqual([expect.objectContaining({ sequence: 3, functionLogicalId: 'A', itemIds: ['m1'] })]);
    expect((await call('GET', '/__local/event-source-batches')).json.batches).toHaveLength(3);
  });

  it('pauses and resumes the event source mappings', async () => {
    expect(await call('GET', '/__local/event-sources')).toEqual({ status: 200, json: { paused: false } });
    expect(await call('POST', '/__local/event-sources/pause')).toEqual({ status: 200, json: { paused: true } });
    expect(eventSources.paused).toBe(true);
    expect(await call('POST', '/__local/event-sources/resume')).toEqual({ status: 200, json: { paused: false } });
    expect(eventSources.paused).toBe(false);
  });

  it("answers Lambda's Invoke for a function by ARN, name or logical id, so a LambdaClient works against it", async () => {
    const client = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      const text = (payload?: Uint8Array) => (payload === undefined ? '' : Buffer.from(payload).toString('utf8'));
      const ok = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:orders-notify', Payload: JSON.stringify({ Records: [] }) }));
      expect(ok.FunctionError).toBeUndefined();
      expect(JSON.parse(text(ok.Payload))).toEqual({ batchItemFailures: [] });
      const failed = await client.send(new InvokeCommand({ FunctionName: 'NotifyCustomerFunction', Payload: JSON.stringify({ fail: true }) }));
      expect(failed.FunctionError).toBe('Unhandled');
      expect(JSON.parse(text(failed.Payload))).toMatchObject({ errorType: 'Boom', errorMessage: 'no' });
      expect(lambda.invoked.map((call) => call.functionLogicalId)).toEqual(['NotifyCustomerFunction', 'NotifyCustomerFunction']);
      await expect(client.send(new InvokeCommand({ FunctionName: 'nope', Payload: '{}' }))).rejects.toThrow();
    } finally {
      client.destroy();
    }
  });
});
