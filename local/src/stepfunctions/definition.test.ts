import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { definitionProblems, lastMathRandomIncluded, planStateMachine, scaleRetrier } from './definition.ts';

const saga = {
  StartAt: 'Reserve',
  TimeoutSeconds: 600,
  States: {
    Reserve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'Reserve', 'Payload.$': '$' },
      TimeoutSeconds: 30,
      Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 4, MaxDelaySeconds: 10, JitterStrategy: 'FULL' }, { ErrorEquals: ['States.ALL'] }],
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Pause', States: { Pause: { Type: 'Wait', SecondsPath: '$.delay', InputPath: '$.order', End: true } } },
        {
          StartAt: 'Ship',
          States: {
            Ship: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: 'Ship', Payload: { 'token.$': '$$.Task.Token' } },
              TimeoutSecondsPath: '$.shipWithin',
              HeartbeatSeconds: 60,
              End: true,
            },
          },
        },
      ],
      Next: 'Record',
    },
    Record: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: { TableName: 'Orders', Key: { PK: { S: 'x' } }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'b' } } },
      End: true,
    },
  },
};

describe('definitionProblems', () => {
  it('accepts a definition the local service can run', () => {
    expect(definitionProblems(saga)).toEqual([]);
  });

  it('reports asl-validator problems without changing the definition', () => {
    const definition = { StartAt: 'Nowhere', States: { Done: { Type: 'Succeed' } } };
    const copy = structuredClone(definition);
    expect(definitionProblems(definition).join('\n')).toContain('Nowhere');
    expect(definition).toEqual(copy);
  });

  it('reports what the local service cannot run', () => {
    const problems = definitionProblems({
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t', Message: 'm' }, Next: 'B' },
        B: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'F' }, Next: 'C' },
        C: { Type: 'Pass', Assign: { x: 1 }, End: true },
      },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^State "A": arn:aws:states:::sns:publish is not a service integration .* Supported: arn:aws:states:::lambda:invoke, /),
      'State "B": a .waitForTaskToken task must pass "$$.Task.Token" in its Parameters',
      'State "C": variables (Assign) are not supported locally',
    ]);
  });

  it('accepts $$.State.Name as a whole path only, and refuses $$.State.RetryCount', () => {
    const state = (parameters: object) => ({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: parameters, End: true } } });
    expect(definitionProblems(state({ 'name.$': '$$.State.Name', 'at.$': '$$.State.EnteredTime' }))).toEqual([]);
    expect(definitionProblems(state({ 'label.$': "States.Format('in {}', $$.State.Name)" }))).toEqual([expect.stringContaining('$$.State.Name is available locally only as a whole path')]);
    expect(definitionProblems(state({ 'retries.$': '$$.State.RetryCount' }))).toEqual(['State "A": $$.State.RetryCount is not available locally']);
  });

  it('refuses JSONata', () => {
    expect(definitionProblems({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', End: true } } })).toContain(
      'QueryLanguage JSONata: the local Step Functions runs JSONPath only',
    );
  });
});

describe('planStateMachine', () => {
  it('knows every state, nested ones included, with their types and parents', () => {
    const plan = planStateMachine(saga);
    expect(Object.fromEntries(plan.stateTypes)).toEqual({ Reserve: 'Task', Both: 'Parallel', Pause: 'Wait', Ship: 'Task', Record: 'Task' });
    expect(Object.fromEntries(plan.stateParents)).toEqual({ Pause: 'Both', Ship: 'Both' });
    expect(plan.tasks.get('Reserve')).toEqual({ stateName: 'Reserve', resource: { kind: 'lambda:invoke', waitForTaskToken: false }, timeoutSeconds: 30, heartbeatSeconds: undefined });
    expect(plan.tasks.get('Ship')).toMatchObject({ resource: { kind: 'lambda:invoke', waitForTaskToken: true }, heartbeatSeconds: 60 });
    expect(plan.tasks.get('Record')?.resource).toEqual({ kind: 'dynamodb', action: 'updateItem' });
    expect(plan.waits.get('Pause')).toEqual({ stateName: 'Pause', seconds: undefined, timestamp: undefined });
  });

  it('hands the library tasks whose timing the local handler owns', () => {
    const states = planStateMachine(saga).runnable.States as unknown as Record<string, Record<string, unknown>>;
    // The library's own 60 s default must never fire: the ceiling is the longest Node timer.
    expect(states.Reserve).toMatchObject({ TimeoutSeconds: 2_147_483, Parameters: { input: { FunctionName: 'Reserve', 'Payload.$': '$' } } });
    const branches = (states.Both as { Branches: Array<{ States: Record<string, Record<string, unknown>> }> }).Branches;
    expect(branches[0]?.States.Pause).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::local:wait',
      InputPath: '$.order',
      Parameters: { 'input.$': '$', 'seconds.$': '$.delay' },
      TimeoutSeconds: 2_147_483,
      End: true,
    });
    expect(branches[1]?.States.Ship?.Parameters).toEqual({ input: { FunctionName: 'Ship', Payload: { 'token.$': '$$.Task.Token' } }, 'timeoutSeconds.$': '$.shipWithin' });
    expect(branches[1]?.States.Ship).not.toHaveProperty('HeartbeatSeconds');
    expect(branches[1]?.States.Ship).not.toHaveProperty('TimeoutSecondsPath');
  });

  it('scales Retry and the execution timeout, and leaves them alone at scale 1', () => {
    const scaled = planStateMachine(saga, 0.1).runnable as unknown as { TimeoutSeconds: number; States: Record<string, { Retry?: unknown }> };
    expect(scaled.TimeoutSeconds).toBe(60);
    expect(scaled.States.Reserve?.Retry).toEqual([
      { ErrorEquals: ['Busy'], IntervalSeconds: 0.4, MaxDelaySeconds: 1, JitterStrategy: 'FULL' },
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 0.1 },
    ]);
    const unscaled = planStateMachine(saga).runnable as unknown as { TimeoutSeconds: number; States: Record<string, { Retry?: unknown }> };
    expect(unscaled.TimeoutSeconds).toBe(600);
    expect(unscaled.States.Reserve?.Retry).toEqual(saga.States.Reserve.Retry);
  });

  it('writes $$.State.Name into the runnable copy', () => {
    const plan = planStateMachine({
      StartAt: 'Mark',
      States: { Mark: { Type: 'Pass', Parameters: { 'step.$': '$$.State.Name', nested: [{ 'also.$': '$$.State.Name' }], 'at.$': '$$.State.EnteredTime' }, End: true } },
    });
    expect((plan.runnable.States.Mark as { Parameters: unknown }).Parameters).toEqual({ step: 'Mark', nested: [{ also: 'Mark' }], 'at.$': '$$.State.EnteredTime' });
  });

  it('makes the library draw States.MathRandom from start inclusive to end exclusive, as AWS does', async () => {
    const plan = planStateMachine({
      StartAt: 'Draw',
      States: { Draw: { Type: 'Pass', Parameters: { 'shard.$': "States.Format('STATUS#X#{}', States.MathRandom(0, 2))" }, End: true } },
    });
    const machine = new StateMachine(plan.runnable, { validationOptions: { noValidate: true } });
    const drawn = new Set<unknown>();
    for (let run = 0; run < 200; run += 1) drawn.add(((await machine.run({}).result) as { shard: unknown }).shard);
    // 200 draws: both shards appear (the chance one never does is 2^-199), and never a third.
    expect([...drawn].sort()).toEqual(['STATUS#X#0', 'STATUS#X#1']);
  });

  it('rewrites every States.MathRandom end, literal or not, nested or not, and nothing else', () => {
    expect(lastMathRandomIncluded("States.Format('S#{}', States.MathRandom(0, 16))")).toBe("States.Format('S#{}', States.MathRandom(0, 15))");
    expect(lastMathRandomIncluded('States.MathRandom($.low, $.high, 7)')).toBe('States.MathRandom($.low, States.MathAdd($.high, -1), 7)');
    expect(lastMathRandomIncluded('States.MathRandom(1, States.MathRandom(5, 9))')).toBe('States.MathRandom(1, States.MathAdd(States.MathRandom(5, 8), -1))');
    expect(lastMathRandomIncluded("States.Format('a,(b', $.x)")).toBe("States.Format('a,(b', $.x)");
  });

  it('caps the execution timeout at the longest timer Node can set', () => {
    const yearLong = planStateMachine({ ...saga, TimeoutSeconds: 31_536_000 }).runnable as unknown as { TimeoutSeconds: number };
    expect(yearLong.TimeoutSeconds).toBe(2_147_483);
  });

  it('scales a retrier so that IntervalSeconds × BackoffRate^n and MaxDelaySeconds shrink together', () => {
    const retrier = { ErrorEquals: ['X'], IntervalSeconds: 2, BackoffRate: 3, MaxDelaySeconds: 30 };
    expect(scaleRetrier(retrier, 0.5)).toEqual({ ErrorEquals: ['X'], IntervalSeconds: 1, BackoffRate: 3, MaxDelaySeconds: 15 });
    expect(scaleRetrier(retrier, 1)).toBe(retrier);
  });
});
