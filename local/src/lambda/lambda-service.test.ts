import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createIntrinsicResolver } from '../template/intrinsics.ts';
import { loadTemplate } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { textFault } from './faults.ts';
import { readFunctionDefinitions } from './from-template.ts';
import { FunctionInvocationError, type InvocationOutcome, invokeOrThrow } from './invocation.ts';
import { type FunctionLogLine, LocalLambdaService } from './lambda-service.ts';

const TEMPLATE = fileURLToPath(new URL('./fixtures/template.yaml', import.meta.url));

async function serviceForFixtures() {
  const { template, directory } = await loadTemplate(TEMPLATE);
  const pseudo = { region: 'us-east-1', accountId: '000000000000', stackName: 'fixture', partition: 'aws', urlSuffix: 'amazonaws.com' };
  const registry = new ResourceRegistry(template, pseudo);
  registry.register('Table', { ref: 'fixture-table' });
  const resolver = createIntrinsicResolver({ template, resources: registry, pseudo });
  const logs: FunctionLogLine[] = [];
  const service = new LocalLambdaService({
    functions: readFunctionDefinitions(template, resolver, directory),
    region: 'us-east-1',
    accountId: '000000000000',
    serviceEndpoints: { DYNAMODB: 'http://127.0.0.1:8999' },
    onLog: (line) => logs.push(line),
  });
  return { service, logs };
}

function payloadOf(outcome: InvocationOutcome): Record<string, unknown> {
  if (outcome.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(outcome.error)}`);
  return outcome.payload as Record<string, unknown>;
}

describe('LocalLambdaService', async () => {
  const { service, logs } = await serviceForFixtures();
  afterAll(() => service.stop());

  it('runs the TypeScript handler with the template environment and a Lambda context', async () => {
    const outcome = await service.invoke('EchoFunction', { hello: 'world' }, { requestId: 'req-1' });
    const payload = payloadOf(outcome);
    expect(payload.event).toEqual({ hello: 'world' });
    expect(payload.requestId).toBe('req-1');
    expect(payload.functionName).toBe('EchoFunction');
    expect(payload.memoryLimitInMB).toBe('256');
    expect(payload.remainingMs).toBeGreaterThan(4000);
    expect(payload.remainingMs).toBeLessThanOrEqual(5000);
    expect(payload.env).toMatchObject({
      GREETING: 'hello',
      TABLE_NAME: 'fixture-table',
      ONLY_ECHO: 'yes',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'EchoFunction',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8999',
      AWS_LAMBDA_LOG_LEVEL: 'WARN',
    });
    expect((payload.env as Record<string, string>).TRACE).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(outcome.initDurationMs).toBeGreaterThan(0);
  });

  it('keeps an environment warm between invocations and reports the cold start once', async () => {
    const second = await service.invoke('EchoFunction', {});
    expect(payloadOf(second).invocations).toBe(2);
    expect(second.initDurationMs).toBeUndefined();
  });

  it('isolates environments: one function never sees another one\'s variables', async () => {
    const outcome = await service.invoke('DatesFunction', {});
    expect(payloadOf(outcome)).toEqual({ at: '2025-01-02T00:00:00.000Z' });
    expect(process.env.GREETING).toBeUndefined();
  });

  it('forwards what the handler logs, tagged with the function', async () => {
    await expect.poll(() => logs.some((log) => log.functionLogicalId === 'EchoFunction' && log.line === 'echo invoked 1')).toBe(true);
  });

  it('captures the log lines of one invocation, tagged with its request id', async () => {
    const first = await service.invokeCapturingLogs('EchoFunction', { n: 1 });
    const second = await service.invokeCapturingLogs('EchoFunction', { n: 2 });
    const invocations = (captured: typeof first) => payloadOf(captured.outcome).invocations;
    expect(first.logLines.map((line) => line.line)).toEqual([`echo invoked ${invocations(first)}`]);
    expect(second.logLines.map((line) => line.line)).toEqual([`echo invoked ${invocations(second)}`]);
    expect(second.logLines[0]?.requestId).toBe(second.outcome.requestId);
    // The cloud's own log still gets every line.
    expect(logs.filter((log) => log.requestId === first.outcome.requestId)).toHaveLength(1);
  });

  it('returns a thrown error as Lambda reports it', async () => {
    const outcome = await service.invoke('FailsFunction', {});
    expect(outcome.kind).toBe('error');
    if (outcome.kind === 'error') {
      expect(outcome.error.errorType).toBe('OutOfStock');
      expect(outcome.error.errorMessage).toBe('no more widgets');
      expect(outcome.error.trace.length).toBeGreaterThan(0);
    }
  });

  it('replaces an environment whose runtime crashed', async () => {
    const crashed = await service.invoke('FailsFunction', { crash: true });
    expect(crashed.kind).toBe('error');
    if (crashed.kind === 'error') expect(crashed.error.errorType).toMatch(/^Runtime\./);
    const next = await service.invoke('FailsFunction', {});
    expect(next.kind === 'error' && next.error.errorType).toBe('OutOfStock');
  });

  it('enforces the template Timeout and starts a fresh environment afterwards', async () => {
    const timedOut = await service.invoke('SlowFunction', { ms: 3000 });
    expect(timedOut.kind).toBe('error');
    if (timedOut.kind === 'error') {
      expect(timedOut.error.errorType).toBe('Sandbox.Timedout');
      expect(timedOut.error.errorMessage).toMatch(/Task timed out after 1\.00 seconds/);
    }
    const after = await service.invoke('SlowFunction', { ms: 1 });
    expect(payloadOf(after).invocations).toBe(1);
  });

  it('counts invocations in flight, from the ask (cold start included) to the answer', async () => {
    expect(service.inFlight).toBe(0);
    const running = Promise.all([service.invoke('SlowFunction', { ms: 200 }), service.invoke('EchoFunction', {})]);
    expect(service.inFlight).toBe(2);
    await running;
    expect(service.inFlight).toBe(0);
  });

  it('runs concurrent invocations in separate environments', async () => {
    const outcomes = await Promise.all([1, 2, 3].map(() => service.invoke('SlowFunction', { ms: 300 })));
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['success', 'success', 'success']);
  });

  it('reports an init failure as Runtime.ImportModuleError', async () => {
    const outcome = await service.invoke('BrokenInitFunction', {});
    expect(outcome.kind === 'error' && outcome.error).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: 'cannot start: missing configuration',
    });
  });

  it('reports a function whose source is missing without stopping the others', async () => {
    const outcome = await service.invoke('MissingFunction', {});
    expect(outcome.kind === 'error' && outcome.error.errorMessage).toMatch(/no handler source found/);
  });

  it('offers event => payload for event source pollers, throwing on a failed invocation', async () => {
    await expect(invokeOrThrow(service, 'DatesFunction')({})).resolves.toEqual({ at: '2025-01-02T00:00:00.000Z' });
    const failing = invokeOrThrow(service, 'FailsFunction')({});
    await expect(failing).rejects.toBeInstanceOf(FunctionInvocationError);
    await expect(failing).rejects.toThrow('FailsFunction failed: OutOfStock: no more widgets');
  });

  it('starts fresh environments after a recycle, as after a deployment', async () => {
    expect(payloadOf(await service.invoke('SlowFunction', { ms: 1 })).invocations).toBeGreaterThan(0);
    service.recycle();
    const fresh = await service.invoke('SlowFunction', { ms: 1 });
    expect(payloadOf(fresh).invocations).toBe(1);
    expect(fresh.initDurationMs).toBeGreaterThan(0);
  });

  it('refuses an unknown function', async () => {
    await expect(service.invoke('Nope', {})).rejects.toThrow(/No function Nope/);
  });

  describe('local faults', () => {
    const sqsEvent = (...bodies: string[]) => ({
      Records: bodies.map((body, index) => ({ messageId: `m${index + 1}`, body, eventSource: 'aws:sqs' })),
    });

    it('fails a matching invocation without running the handler, until the fault is cleared', async () => {
      service.setFault('EchoFunction', textFault('poison'), 'poison pills');
      expect(service.listFaults()).toEqual([{ functionLogicalId: 'EchoFunction', description: 'poison pills' }]);
      const failed = await service.invoke('EchoFunction', { text: 'a poison pill' });
      expect(failed).toMatchObject({ kind: 'error', error: { errorType: 'LocalFault' }, durationMs: 0 });
      expect(payloadOf(await service.invoke('EchoFunction', { text: 'fine' })).event).toEqual({ text: 'fine' });
      expect(service.clearFault('EchoFunction')).toBe(true);
      expect(payloadOf(await service.invoke('EchoFunction', { text: 'a poison pill' })).event).toEqual({ text: 'a poison pill' });
    });

    it('hands the other records of a batch to the handler and reports the matching ones as failed', async () => {
      service.setFault('EchoFunction', textFault('poison'));
      const payload = payloadOf(await service.invoke('EchoFunction', sqsEvent('ok', 'poison', 'ok too')));
      expect((payload.event as { Records: Array<{ messageId: string }> }).Records.map((record) => record.messageId)).toEqual(['m1', 'm3']);
      expect(payload.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
      service.clearFaults();
      expect(service.listFaults()).toEqual([]);
    });

    it('runs the handler for an after-work fault, then fails the invocation with its error', async () => {
      const timedOut = Object.assign(new Error('Task timed out after 3.00 seconds'), { name: 'Sandbox.Timedout' });
      const first = Number(payloadOf(await service.invoke('EchoFunction', { text: 'first' })).invocations);
      service.setFault('EchoFunction', () => ({ afterWork: timedOut }));
      const failed = await service.invoke('EchoFunction', { text: 'lost response' });
      expect(failed).toMatchObject({ kind: 'error', error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 3.00 seconds' } });
      service.clearFaults();
      // The handler did run: the (one, reused) environment counted the invocation whose response was lost.
      const next = Number(payloadOf(await service.invoke('EchoFunction', { text: 'next' })).invocations);
      expect(next - first).toBe(2);
      expect(failed.durationMs).toBeGreaterThan(0);
    });

    it('refuses a fault for an unknown function', () => {
      expect(() => service.setFault('Nope', () => true)).toThrow(/No function Nope/);
    });
  });
});
