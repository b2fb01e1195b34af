import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../core/ports.ts';
import { SfnError } from './errors.ts';
import type { InvokeLambda } from './integrations.ts';
import { LocalStepFunctions } from './local-step-functions.ts';

const ECHO = 'arn:aws:lambda:us-east-1:000000000000:function:Echo';

/** Fake functions by name: `Echo` returns its event, `Keep` keeps the task token, others per test. */
function fakeLambda(extra: Record<string, (payload: Record<string, unknown>) => Awaited<ReturnType<InvokeLambda>>> = {}) {
  const tokens: string[] = [];
  const calls: Array<{ name: string; payload: Record<string, unknown>; at: number }> = [];
  const invokeLambda: InvokeLambda = async (functionName, payload) => {
    const name = functionName.split(':').at(-1) ?? functionName;
    const event = (payload ?? {}) as Record<string, unknown>;
    calls.push({ name, payload: event, at: performance.now() });
    if (typeof event.taskToken === 'string') tokens.push(event.taskToken);
    const handler = extra[name];
    if (handler !== undefined) return handler(event);
    if (name === 'Echo' || name === 'Keep') return { payload: event };
    throw Object.assign(new Error(`Function not found: ${functionName}`), { name: 'ResourceNotFoundException' });
  };
  return { invokeLambda, tokens, calls };
}

const failWith = (errorType: string, errorMessage = 'it failed') => () => ({
  payload: { errorType, errorMessage, trace: [] },
  functionError: 'Unhandled',
});

let services: LocalStepFunctions[] = [];
afterEach(async () => {
  await Promise.all(services.map((service) => service.stop()));
  services = [];
});

function serviceWith(options: Partial<ConstructorParameters<typeof LocalStepFunctions>[0]> & { invokeLambda: InvokeLambda }) {
  const service = new LocalStepFunctions(options);
  services.push(service);
  return service;
}

let machineCount = 0;
async function run(service: LocalStepFunctions, definition: object, input: unknown = {}, name?: string) {
  const { stateMachineArn } = service.createStateMachine({ name: `Machine${++machineCount}`, definition: JSON.stringify(definition) });
  const { executionArn } = service.startExecution({ stateMachineArn, input: JSON.stringify(input), ...(name !== undefined && { name }) });
  return { stateMachineArn, executionArn };
}

async function runToEnd(service: LocalStepFunctions, definition: object, input: unknown = {}) {
  const { executionArn } = await run(service, definition, input);
  const description = await service.waitForExecution(executionArn);
  return { ...description, output: description.output === undefined ? undefined : JSON.parse(description.output), events: service.getExecutionHistory({ executionArn }) };
}

const invoke = (functionName: string, extra: object = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionName, 'Payload.$': '$' },
  ...extra,
});

describe('lambda:invoke', () => {
  it('returns the Invoke response, with the payload parsed', async () => {
    const service = serviceWith(fakeLambda());
    const result = await runToEnd(service, { StartAt: 'Call', States: { Call: invoke(ECHO, { End: true }) } }, { hello: 'world' });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { hello: 'world' },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: expect.any(String) },
    });
  });

  it('fails the state with the function error type, the error payload as the Cause', async () => {
    const service = serviceWith(fakeLambda({ Reserve: failWith('OutOfStock', 'none left') }));
    const result = await runToEnd(service, {
      StartAt: 'Reserve',
      States: {
        Reserve: invoke('Reserve', { Catch: [{ ErrorEquals: ['OutOfStock'], Next: 'Caught' }], End: true }),
        Caught: { Type: 'Pass', End: true },
      },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output.Error).toBe('OutOfStock');
    expect(JSON.parse(result.output.Cause)).toEqual({ errorType: 'OutOfStock', errorMessage: 'none left', trace: [] });
  });

  it('names invocation failures Lambda.<Exception>', async () => {
    const service = serviceWith(fakeLambda({ Broken: () => Promise.reject(new Error('connection reset')) as never }));
    const missing = await runToEnd(service, { StartAt: 'Call', States: { Call: invoke('Nope', { End: true }) } });
    expect(missing).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
    const broken = await runToEnd(service, { StartAt: 'Call', States: { Call: invoke('Broken', { End: true }) } });
    expect(broken).toMatchObject({ status: 'FAILED', error: 'Lambda.ServiceException' });
  });

  it('passes $$.State.Name and $$.State.EnteredTime, which the library lacks, to the function', async () => {
    const fake = fakeLambda();
    const service = serviceWith(fake);
    const before = Date.now();
    const result = await runToEnd(service, {
      StartAt: 'Call',
      States: { Call: { ...invoke(ECHO, { End: true }), Parameters: { FunctionName: ECHO, Payload: { 'state.$': '$$.State.Name', 'at.$': '$$.State.EnteredTime' } } } },
    });
    expect(result.status).toBe('SUCCEEDED');
    const { state, at } = fake.calls[0]?.payload as { state: string; at: string };
    expect(state).toBe('Call');
    expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(at)).toBeLessThanOrEqual(Date.now());
  });

  it('runs the older form, a function ARN as the resource, with LambdaFunction* history', async () => {
    const service = serviceWith(fakeLambda());
    const result = await runToEnd(service, { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: ECHO, End: true } } }, { a: 1 });
    expect(result.output).toEqual({ a: 1 });
    expect(result.events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });
});

describe('Retry', () => {
  it('backs off IntervalSeconds × BackoffRate^n on the scaled clock', async () => {
    let attempts = 0;
    const fake = fakeLambda({ Flaky: (event) => (++attempts < 3 ? failWith('Busy')() : { payload: event }) });
    const service = serviceWith({ ...fake, timeScale: 0.01 });
    const result = await runToEnd(service, {
      StartAt: 'Call',
      States: { Call: invoke('Flaky', { Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 10, BackoffRate: 3, MaxAttempts: 2 }], End: true }) },
    });
    expect(result.status).toBe('SUCCEEDED');
    const [first, second, third] = fake.calls.map((call) => call.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(95); // 10 s × 0.01
    expect(second - first).toBeLessThan(1_000);
    expect(third - second).toBeGreaterThanOrEqual(295); // 10 s × 3 × 0.01
    expect(third - second).toBeLessThan(2_000);
  });

  it('caps at MaxDelaySeconds and jitters within the interval with JitterStrategy FULL', async () => {
    const fake = fakeLambda({ Down: failWith('Busy') });
    const service = serviceWith({ ...fake, timeScale: 0.01 });
    const capped = await runToEnd(service, {
      StartAt: 'Call',
      States: { Call: invoke('Down', { Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1000, MaxDelaySeconds: 5, MaxAttempts: 1 }], End: true }) },
    });
    expect(capped).toMatchObject({ status: 'FAILED', error: 'Busy' });
    const [first, second] = fake.calls.map((call) => call.at) as [number, number];
    expect(second - first).toBeGreaterThanOrEqual(45); // capped at 5 s × 0.01
    expect(second - first).toBeLessThan(1_000);

    fake.calls.length = 0;
    await runToEnd(service, {
      StartAt: 'Call',
      States: { Call: invoke('Down', { Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 5, BackoffRate: 1, MaxAttempts: 4, JitterStrategy: 'FULL' }], End: true }) },
    });
    const gaps = fake.calls.slice(1).map((call, index) => call.at - (fake.calls[index] as { at: number }).at);
    expect(gaps).toHaveLength(4);
    for (const gap of gaps) expect(gap).toBeLessThan(50 + 40); // never more than 5 s × 0.01, plus scheduling slack
  });
});

describe('.waitForTaskToken', () => {
  const tokenTask = (extra: object = {}) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: { FunctionName: 'Keep', Payload: { 'taskToken.$': '$$.Task.Token', 'execution.$': '$$.Execution.Name', 'machine.$': '$$.StateMachine.Name' } },
    ...extra,
  });

  it('waits for SendTaskSuccess; the function gets a fresh token and the Context Object', async () => {
    const fake = fakeLambda();
    const service = serviceWith(fake);
    const { stateMachineArn, executionArn } = await run(service, { StartAt: 'Wait', States: { Wait: tokenTask({ End: true }) } }, {}, 'order-1');
    await waitUntil('the token', async () => fake.tokens.length === 1);
    expect(fake.calls[0]?.payload).toEqual({ taskToken: fake.tokens[0], execution: 'order-1', machine: service.describeStateMachine(stateMachineArn).name });
    expect(service.currentStates(executionArn)).toEqual([expect.objectContaining({ name: 'Wait', type: 'Task', waitingForTaskToken: true })]);
    expect(service.describeExecution(executionArn).status).toBe('RUNNING');

    service.sendTaskSuccess({ taskToken: fake.tokens[0] as string, output: '{"done":true}' });
    expect(await service.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '{"done":true}' });
    expect(() => service.sendTaskSuccess({ taskToken: fake.tokens[0] as string, output: '{}' })).toThrow(expect.objectContaining({ type: 'TaskTimedOut' }));
  });

  it('issues a new token for each attempt; the earlier one is closed', async () => {
    const fake = fakeLambda();
    const service = serviceWith({ ...fake, timeScale: 0.01 });
    const { executionArn } = await run(service, { StartAt: 'Wait', States: { Wait: tokenTask({ Retry: [{ ErrorEquals: ['Again'], IntervalSeconds: 1 }], End: true }) } });
    await waitUntil('the first token', async () => fake.tokens.length === 1);
    service.sendTaskFailure({ taskToken: fake.tokens[0] as string, error: 'Again', cause: 'try again' });
    await waitUntil('the second token', async () => fake.tokens.length === 2);
    expect(fake.tokens[1]).not.toBe(fake.tokens[0]);
    expect(() => service.sendTaskSuccess({ taskToken: fake.tokens[0] as string, output: '{}' })).toThrow(expect.objectContaining({ type: 'TaskTimedOut' }));
    service.sendTaskSuccess({ taskToken: fake.tokens[1] as string, output: '"second"' });
    expect(await service.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: '"second"' });
    const types = service.getExecutionHistory({ executionArn }).map((event) => event.type);
    expect(types.filter((type) => type === 'TaskScheduled')).toHaveLength(2);
  });

  it('fails with States.Timeout, which States.TaskFailed does not catch but States.ALL does', async () => {
    const service = serviceWith({ ...fakeLambda(), timeScale: 0.05 });
    const started = performance.now();
    const result = await runToEnd(service, {
      StartAt: 'Wait',
      States: {
        Wait: tokenTask({
          TimeoutSeconds: 2,
          Catch: [
            { ErrorEquals: ['States.TaskFailed'], Next: 'Wrong' },
            { ErrorEquals: ['States.ALL'], Next: 'Right' },
          ],
          End: true,
        }),
        Wrong: { Type: 'Fail', Error: 'CaughtByTaskFailed' },
        Right: { Type: 'Pass', End: true },
      },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output.Error).toBe('States.Timeout');
    expect(result.events.find((event) => event.type === 'TaskTimedOut')).toMatchObject({
      taskTimedOutEventDetails: { resource: 'invoke.waitForTaskToken', error: 'States.Timeout' },
    });
  });

  it('takes TimeoutSecondsPath from the state input', async () => {
    const service = serviceWith({ ...fakeLambda(), timeScale: 0.05 });
    const result = await runToEnd(service, { StartAt: 'Wait', States: { Wait: tokenTask({ TimeoutSecondsPath: '$.timeout', End: true }) } }, { timeout: 2 });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const scheduled = result.events.find((event) => event.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 2 });
  });

  it('keeps waiting while heartbeats arrive, and fails with States.HeartbeatTimeout when they stop', async () => {
    const fake = fakeLambda();
    const service = serviceWith({ ...fake, timeScale: 0.05 });
    const definition = { StartAt: 'Wait', States: { Wait: tokenTask({ HeartbeatSeconds: 2, TimeoutSeconds: 100, End: true }) } };
    const { executionArn } = await run(service, definition);
    await waitUntil('the token', async () => fake.tokens.length === 1);
    for (let beat = 0; beat < 4; beat++) {
      await new Promise((resolve) => setTimeout(resolve, 60)); // under the 100 ms heartbeat window
      service.sendTaskHeartbeat({ taskToken: fake.tokens[0] as string });
    }
    service.sendTaskSuccess({ taskToken: fake.tokens[0] as string, output: '{}' });
    expect((await service.waitForExecution(executionArn)).status).toBe('SUCCEEDED');

    const silent = await runToEnd(service, definition);
    expect(silent).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });

  it('fails the task when the function itself fails', async () => {
    const service = serviceWith(fakeLambda({ Keep: failWith('Crashed') }));
    const result = await runToEnd(service, { StartAt: 'Wait', States: { Wait: tokenTask({ End: true }) } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'Crashed' });
  });

  it('answers SendTask* with InvalidToken, TaskDoesNotExist and InvalidOutput as AWS does', async () => {
    const fake = fakeLambda();
    const service = serviceWith(fake);
    await run(service, { StartAt: 'Wait', States: { Wait: tokenTask({ End: true }) } });
    await waitUntil('the token', async () => fake.tokens.length === 1);
    const typeOf = (call: () => void) => {
      try {
        call();
      } catch (error) {
        return (error as SfnError).type;
      }
      return 'no error';
    };
    expect(typeOf(() => service.sendTaskSuccess({ taskToken: 'garbage', output: '{}' }))).toBe('InvalidToken');
    expect(typeOf(() => service.sendTaskHeartbeat({ taskToken: `AQB${'a'.repeat(86)}` }))).toBe('TaskDoesNotExist');
    expect(typeOf(() => service.sendTaskSuccess({ taskToken: fake.tokens[0] as string, output: '{not json' }))).toBe('InvalidOutput');
  });
});

describe('Wait, Parallel, Map and the execution timeout', () => {
  it('scales Wait durations, SecondsPath included', async () => {
    const service = serviceWith({ ...fakeLambda(), timeScale: 0.01 });
    const started = performance.now();
    const result = await runToEnd(
      service,
      {
        StartAt: 'Fixed',
        States: {
          Fixed: { Type: 'Wait', Seconds: 10, Next: 'FromInput' },
          FromInput: { Type: 'Wait', SecondsPath: '$.delay', OutputPath: '$.keep', End: true },
        },
      },
      { delay: 20, keep: 'kept' },
    );
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: 'kept' });
    expect(elapsed).toBeGreaterThanOrEqual(290); // (10 + 20) s × 0.01
    expect(elapsed).toBeLessThan(3_000);
    expect(result.events.map((event) => event.type)).toContain('WaitStateExited');
  });

  it('runs tasks inside Parallel branches and Map iterations, with their history', async () => {
    const service = serviceWith(fakeLambda());
    const result = await runToEnd(
      service,
      {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Left', States: { Left: { ...invoke('Echo'), ResultSelector: { 'side.$': '$.Payload.side' }, Parameters: { FunctionName: 'Echo', Payload: { side: 'left' } }, End: true } } },
              {
                StartAt: 'Each',
                States: {
                  Each: {
                    Type: 'Map',
                    ItemsPath: '$.items',
                    ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Task', Resource: ECHO, End: true } } },
                    End: true,
                  },
                },
              },
            ],
            End: true,
          },
        },
      },
      { items: [1, 2, 3] },
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([{ side: 'left' }, [1, 2, 3]]);
    const types = result.events.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['ParallelStateStarted', 'MapStateStarted', 'MapIterationStarted', 'MapIterationSucceeded', 'MapStateSucceeded', 'ParallelStateSucceeded']));
    expect(types.filter((type) => type === 'LambdaFunctionSucceeded')).toHaveLength(3);
    expect(types.filter((type) => type === 'TaskSucceeded')).toHaveLength(1);
  });

  it('times the execution out after its TimeoutSeconds, closing its tokens', async () => {
    const fake = fakeLambda();
    const service = serviceWith({ ...fake, timeScale: 0.05 });
    const result = await runToEnd(service, {
      TimeoutSeconds: 2,
      StartAt: 'Wait',
      States: { Wait: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'Keep', Payload: { 'token.$': '$$.Task.Token' } }, End: true } },
    });
    expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(result.events.slice(-2).map((event) => event.type)).toEqual(['TaskStateAborted', 'ExecutionTimedOut']);
    expect(result.events.at(-1)).toMatchObject({ executionTimedOutEventDetails: { error: 'States.Timeout' } });
    const token = (fake.calls[0]?.payload as { token: string }).token;
    expect(() => service.sendTaskSuccess({ taskToken: token, output: '{}' })).toThrow(expect.objectContaining({ type: 'TaskTimedOut' }));
  });

  it('reports a Fail state without Error or Cause as neither', async () => {
    const service = serviceWith(fakeLambda());
    const result = await runToEnd(service, { StartAt: 'Stop', States: { Stop: { Type: 'Fail' } } });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBeUndefined();
    expect(result.cause).toBeUndefined();
    expect(result.events.at(-1)).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: {} });
  });
});

describe('the API rules', () => {
  const passThrough = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };
  const errorType = (call: () => unknown) => {
    try {
      call();
    } catch (error) {
      if (error instanceof SfnError) return error.type;
      throw error;
    }
    return 'no error';
  };

  it('validates names, inputs and ARNs', async () => {
    const service = serviceWith(fakeLambda());
    const { stateMachineArn } = await run(service, passThrough);
    expect(errorType(() => service.startExecution({ stateMachineArn, name: 'has space' }))).toBe('InvalidName');
    expect(errorType(() => service.startExecution({ stateMachineArn, name: 'x'.repeat(81) }))).toBe('InvalidName');
    expect(errorType(() => service.startExecution({ stateMachineArn, input: '{oops' }))).toBe('InvalidExecutionInput');
    expect(errorType(() => service.startExecution({ stateMachineArn: 'not-an-arn' }))).toBe('InvalidArn');
    expect(errorType(() => service.startExecution({ stateMachineArn: `${stateMachineArn}Other` }))).toBe('StateMachineDoesNotExist');
    expect(errorType(() => service.describeExecution(stateMachineArn.replace(':stateMachine:', ':execution:') + ':nope'))).toBe('ExecutionDoesNotExist');
  });

  it('refuses definitions AWS would refuse, and features it cannot run', () => {
    const service = serviceWith(fakeLambda());
    const create = (definition: object) => service.createStateMachine({ name: `Bad${++machineCount}`, definition: JSON.stringify(definition) });
    expect(errorType(() => service.createStateMachine({ name: 'NotJson', definition: '{' }))).toBe('InvalidDefinition');
    expect(errorType(() => create({ StartAt: 'Missing', States: { Done: { Type: 'Pass', End: true } } }))).toBe('InvalidDefinition');
    expect(errorType(() => create({ StartAt: 'Q', States: { Q: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } }))).toBe('InvalidDefinition');
    expect(errorType(() => create({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'Keep' }, End: true } } }))).toBe(
      'InvalidDefinition',
    );
    expect(() => create({ StartAt: 'D', States: { D: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 't', Key: {} }, End: true } } })).toThrow(/no DynamoDB client/);
  });

  it('lists executions newest first and leaves execution data out of the history on request', async () => {
    const service = serviceWith(fakeLambda());
    const { stateMachineArn } = service.createStateMachine({ name: 'Listed', definition: JSON.stringify(passThrough) });
    const first = service.startExecution({ stateMachineArn, name: 'first', input: '{"secret":1}' });
    const second = service.startExecution({ stateMachineArn, name: 'second' });
    await Promise.all([service.waitForExecution(first.executionArn), service.waitForExecution(second.executionArn)]);
    expect(service.listExecutions({ stateMachineArn }).map((execution) => execution.name)).toEqual(['second', 'first']);
    expect(service.listExecutions({ stateMachineArn, statusFilter: 'FAILED' })).toEqual([]);
    const [started] = service.getExecutionHistory({ executionArn: first.executionArn, includeExecutionData: false });
    expect(started).toMatchObject({ type: 'ExecutionStarted', executionStartedEventDetails: { roleArn: expect.any(String) } });
    expect(JSON.stringify(started)).not.toContain('secret');
    expect(service.getExecutionHistory({ executionArn: first.executionArn, reverseOrder: true })[0]?.type).toBe('ExecutionSucceeded');
  });

  it('aborts running executions when the service stops', async () => {
    const fake = fakeLambda();
    const service = serviceWith(fake);
    const { executionArn } = await run(service, {
      StartAt: 'Wait',
      States: { Wait: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'Keep', Payload: { 'taskToken.$': '$$.Task.Token' } }, End: true } },
    });
    await waitUntil('the token', async () => fake.tokens.length === 1);
    await service.stop();
    expect(service.describeExecution(executionArn).status).toBe('ABORTED');
  });
});

describe('states:startExecution (a nested workflow)', { timeout: 20_000 }, () => {
  const child = (end: object) => ({ StartAt: 'Call', States: { Call: invoke(ECHO, { ResultSelector: { 'echoed.$': '$.Payload' }, ...end }) } });
  const parentOf = (childArn: string, resource: string) => ({
    StartAt: 'Nested',
    States: { Nested: { Type: 'Task', Resource: resource, Parameters: { StateMachineArn: childArn, Input: { 'orderId.$': '$.orderId' } }, End: true } },
  });

  it('.sync:2 waits for the child and returns its DescribeExecution, Output as JSON', async () => {
    const service = serviceWith(fakeLambda());
    const { stateMachineArn: childArn } = service.createStateMachine({ name: 'Child', definition: JSON.stringify(child({ End: true })), type: 'EXPRESS' });
    const result = await runToEnd(service, parentOf(childArn, 'arn:aws:states:::states:startExecution.sync:2'), { orderId: 'o-1' });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ StateMachineArn: childArn, Status: 'SUCCEEDED', Input: { orderId: 'o-1' }, Output: { echoed: { orderId: 'o-1' } } });
    expect(result.events.filter((event) => event.type.startsWith('Task')).map((event) => event.type)).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    expect(service.listExecutions({ stateMachineArn: childArn })).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
  });

  it('.sync gives Input and Output as JSON strings', async () => {
    const service = serviceWith(fakeLambda());
    const { stateMachineArn: childArn } = service.createStateMachine({ name: 'ChildStrings', definition: JSON.stringify(child({ End: true })) });
    const result = await runToEnd(service, parentOf(childArn, 'arn:aws:states:::states:startExecution.sync'), { orderId: 'o-2' });
    expect(result.output).toMatchObject({ Input: '{"orderId":"o-2"}', Output: '{"echoed":{"orderId":"o-2"}}' });
  });

  it('fails the task with States.TaskFailed when the child fails, its DescribeExecution (Error, Cause) as the cause', async () => {
    const service = serviceWith(fakeLambda());
    const failing = { StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'CompensationFailed', Cause: 'needs an operator' } } };
    const { stateMachineArn: childArn } = service.createStateMachine({ name: 'FailingChild', definition: JSON.stringify(failing) });
    const result = await runToEnd(service, parentOf(childArn, 'arn:aws:states:::states:startExecution.sync:2'), { orderId: 'o-3' });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(JSON.parse(result.cause ?? '{}')).toMatchObject({ Status: 'FAILED', Error: 'CompensationFailed', Cause: 'needs an operator' });
  });

  it('without .sync, starts the child and goes on with its ARN', async () => {
    const service = serviceWith(fakeLambda());
    const { stateMachineArn: childArn } = service.createStateMachine({ name: 'FireAndForget', definition: JSON.stringify(child({ End: true })) });
    const result = await runToEnd(service, parentOf(childArn, 'arn:aws:states:::states:startExecution'), { orderId: 'o-4' });
    expect(result.output).toEqual({ ExecutionArn: expect.stringContaining(':execution:FireAndForget:'), StartDate: expect.any(Number) });
  });

  it('stops a running child when the parent is stopped', async () => {
    const service = serviceWith(fakeLambda());
    const waiting = { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 60, End: true } } };
    const { stateMachineArn: childArn } = service.createStateMachine({ name: 'SlowChild', definition: JSON.stringify(waiting) });
    const { executionArn } = await run(service, parentOf(childArn, 'arn:aws:states:::states:startExecution.sync:2'), { orderId: 'o-5' });
    await waitUntil('the child to start', async () => service.listExecutions({ stateMachineArn: childArn }).length === 1, { timeoutMs: 5_000 });
    service.stopExecution({ executionArn });
    await waitUntil('the child to stop', async () => service.listExecutions({ stateMachineArn: childArn })[0]?.status === 'ABORTED', { timeoutMs: 5_000 });
  });

  it('fails with StepFunctions.StateMachineDoesNotExistException for an unknown child', async () => {
    const service = serviceWith(fakeLambda());
    const result = await runToEnd(service, parentOf('arn:aws:states:us-east-1:000000000000:stateMachine:Nope', 'arn:aws:states:::states:startExecution.sync:2'), { orderId: 'o-6' });
    expect(result).toMatchObject({ status: 'FAILED', error: 'StepFunctions.StateMachineDoesNotExistException' });
  });
});
