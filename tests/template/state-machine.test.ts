import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, loadTemplate, resource as resourceOf, run, venvTool, type SamTemplate } from './support/tools.ts';

// The fulfilment saga as the template deploys it (docs/fulfilment.md): two state machines, the
// Standard FulfilmentStateMachine and the Express ConfirmOrderStateMachine it starts and waits
// for. Each definition is valid (asl-validator, and cfn-lint's own state machine checks, which do
// not read DefinitionUri files), the template gives it every value it substitutes and nothing
// else, and its role may invoke exactly the Lambdas, DynamoDB actions and state machine its Task
// states use.

const DEFINITION_FILE = 'statemachine/fulfilment.asl.json';
const CHILD_DEFINITION_FILE = 'statemachine/confirm-order.asl.json';
const ASL_VALIDATOR = path.join(ROOT, 'node_modules/.bin/asl-validator');
const template = loadTemplate();
const resource = (logicalId: string) => resourceOf(template, logicalId);
const definitionText = readFileSync(path.join(ROOT, DEFINITION_FILE), 'utf8');
const childDefinitionText = readFileSync(path.join(ROOT, CHILD_DEFINITION_FILE), 'utf8');

interface TaskState {
  Type: 'Task';
  Resource: string;
  Parameters?: Record<string, unknown>;
}
type State = { Type: string } & Record<string, unknown>;

/** Every state, Parallel branches and Map processors included. */
function statesOf(machine: { States?: Record<string, State> }): Array<[string, State]> {
  return Object.entries(machine.States ?? {}).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...((state.Branches as Array<{ States: Record<string, State> }> | undefined) ?? []).flatMap(statesOf),
    ...[state.ItemProcessor, state.Iterator].filter(Boolean).flatMap((child) => statesOf(child as { States: Record<string, State> })),
  ]);
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** `${Name}` → Name, for a value that is exactly one placeholder. */
const placeholderIn = (value: unknown) => /^\$\{(\w+)\}$/.exec(String(value))?.[1];

/** What logging to CloudWatch Logs takes, written the same way for both state machines (D16). */
const loggingStatements = (logGroup: string): Statement[] => [
  { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] } },
  {
    Effect: 'Allow',
    // What Step Functions needs to set up log delivery to CloudWatch Logs; none of these
    // actions has resource-level permissions (docs/decisions.md, D16).
    Action: [
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ],
    Resource: '*',
  },
];

/** The saga calls each step through its live alias (AutoPublishAlias), never $LATEST. */
const fnArn = (fn: string) => ({ Ref: `${fn}.Alias` });
const childExecutions = { 'Fn::Sub': 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${ConfirmOrderStateMachine.Name}:*' };
const syncRule = { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule' };

/** The saga's two state machines, and what each one's definition, substitutions and role must be. */
const SAGA = [
  {
    logicalId: 'FulfilmentStateMachine',
    type: 'STANDARD',
    file: DEFINITION_FILE,
    text: definitionText,
    logGroup: 'FulfilmentStateMachineLogGroup',
    logGroupName: '/aws/vendedlogs/states/${AWS::StackName}-fulfilment',
    functions: ['RefundPaymentFunction', 'ReleaseStockFunction', 'AwaitShipmentFunction'],
    otherSubstitutions: { ConfirmOrderStateMachineArn: { Ref: 'ConfirmOrderStateMachine' } },
    integrations: [
      'arn:aws:states:::dynamodb:getItem',
      'arn:aws:states:::dynamodb:updateItem',
      'arn:aws:states:::lambda:invoke',
      'arn:aws:states:::lambda:invoke.waitForTaskToken',
      'arn:aws:states:::states:startExecution.sync:2',
    ],
    // Start the child and follow it as the .sync integration does (describe, stop, the managed rule).
    startsChild: [
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: 'ConfirmOrderStateMachine' } },
      { Effect: 'Allow', Action: ['states:DescribeExecution', 'states:StopExecution'], Resource: childExecutions },
      { Effect: 'Allow', Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], Resource: syncRule },
    ],
  },
  {
    logicalId: 'ConfirmOrderStateMachine',
    type: 'EXPRESS',
    file: CHILD_DEFINITION_FILE,
    text: childDefinitionText,
    logGroup: 'ConfirmOrderStateMachineLogGroup',
    logGroupName: '/aws/vendedlogs/states/${AWS::StackName}-confirm-order',
    functions: ['ReserveStockFunction', 'TakePaymentFunction', 'RefundPaymentFunction', 'ReleaseStockFunction'],
    otherSubstitutions: {},
    integrations: ['arn:aws:states:::dynamodb:getItem', 'arn:aws:states:::dynamodb:updateItem', 'arn:aws:states:::lambda:invoke'],
    startsChild: [],
  },
].map((saga) => {
  const machine = resource(saga.logicalId);
  const statements = (machine.Properties?.Policies as Array<{ Statement: Statement[] }>).flatMap((policy) => policy.Statement);
  const definition = JSON.parse(saga.text) as { States: Record<string, State> };
  return {
    ...saga,
    machine,
    substitutions: machine.Properties?.DefinitionSubstitutions as Record<string, unknown>,
    statements,
    allowed: (action: string) =>
      statements.filter((statement) => statement.Effect === 'Allow' && [statement.Action].flat().includes(action)).flatMap((statement) => [statement.Resource].flat()),
    tasks: statesOf(definition).filter((entry): entry is [string, TaskState & State] => entry[1].Type === 'Task'),
  };
});
const tasks = SAGA.flatMap((saga) => saga.tasks);

describe.each(SAGA)('the fulfilment saga: $logicalId', (saga) => {
  const { machine, substitutions, statements, allowed } = saga;

  it('is defined by its file, traced, logging failures to its own group', () => {
    expect(machine.Type).toBe('AWS::Serverless::StateMachine');
    expect(machine.Properties).toMatchObject({
      Type: saga.type,
      DefinitionUri: saga.file,
      Tracing: { Enabled: true },
      Logging: {
        Level: 'ERROR',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [saga.logGroup, 'Arn'] } } }],
      },
    });
    expect(resource(saga.logGroup)).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      DeletionPolicy: 'Delete',
      Properties: {
        LogGroupName: { 'Fn::Sub': saga.logGroupName },
        RetentionInDays: { 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, 'LogRetentionDays'] },
      },
    });
  });

  it('gets a value for every ${…} in the definition, and substitutes nothing else', () => {
    const placeholders = new Set([...saga.text.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]));
    expect([...placeholders].sort()).toEqual(Object.keys(substitutions).sort());
    expect(substitutions).toEqual({
      ...saga.otherSubstitutions,
      ...Object.fromEntries(saga.functions.map((fn) => [`${fn}Arn`, fnArn(fn)])),
      OrdersTableName: { Ref: 'OrdersTable' },
    });
  });

  it('invokes its steps through their live alias, never $LATEST, and may invoke only that alias (SAM translator output)', () => {
    // `!Ref X.Alias` means something only after the SAM transform: the alias resource it made.
    const transformed = loadTemplate('transform');
    const machine = transformed.Resources[saga.logicalId]!.Properties as {
      DefinitionSubstitutions: Record<string, unknown>;
    };
    const role = transformed.Resources[`${saga.logicalId}Role`]!.Properties as { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> };
    const invokable = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement).filter((statement) => statement.Action === 'lambda:InvokeFunction');
    for (const fn of saga.functions) {
      const alias = transformed.Resources[`${fn}Aliaslive`];
      expect(alias?.Type, fn).toBe('AWS::Lambda::Alias');
      expect(alias?.Properties, fn).toMatchObject({ Name: 'live', FunctionName: { Ref: fn } });
      expect(machine.DefinitionSubstitutions[`${fn}Arn`], fn).toEqual({ Ref: `${fn}Aliaslive` });
    }
    expect(invokable.map((statement) => statement.Resource)).toEqual([saga.functions.map((fn) => ({ Ref: `${fn}Aliaslive` }))]);
  });

  it('may invoke exactly the Lambdas its Task states invoke', () => {
    const lambdaTasks = saga.tasks.filter(([, state]) => state.Resource.startsWith('arn:aws:states:::lambda:invoke'));
    expect(lambdaTasks.length).toBeGreaterThan(0);
    const invoked = new Set(
      lambdaTasks.map(([name, state]) => {
        const placeholder = placeholderIn(state.Parameters?.FunctionName);
        expect(placeholder, `${name} names its function through a substitution`).toBeDefined();
        return JSON.stringify(substitutions[placeholder!]);
      }),
    );
    const invokable = allowed('lambda:InvokeFunction');
    expect(invokable.map((arn) => JSON.stringify(arn)).sort()).toEqual([...invoked].sort());
    expect(invokable).toEqual(saga.functions.map(fnArn));
  });

  it('may use exactly the DynamoDB actions of its direct integrations, on the orders table only', () => {
    const dynamoTasks = saga.tasks.filter(([, state]) => state.Resource.startsWith('arn:aws:states:::dynamodb:'));
    const actions = new Set(
      dynamoTasks.map(([name, state]) => {
        expect(placeholderIn(state.Parameters?.TableName), `${name} names the table through a substitution`).toBe('OrdersTableName');
        const operation = state.Resource.slice('arn:aws:states:::dynamodb:'.length);
        return `dynamodb:${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
      }),
    );
    expect([...actions].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    const granted = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('dynamodb:')));
    expect(granted).toHaveLength(1);
    expect([granted[0]!.Action].flat().sort()).toEqual([...actions].sort());
    expect(granted[0]!.Resource).toEqual({ 'Fn::GetAtt': ['OrdersTable', 'Arn'] });
  });

  it('uses only the service integrations its role allows', () => {
    const resources = new Set(saga.tasks.map(([, state]) => state.Resource));
    expect([...resources].sort()).toEqual(saga.integrations);
    // A nested workflow is the one state machine the role may start.
    for (const [name, state] of saga.tasks.filter(([, task]) => task.Resource.startsWith('arn:aws:states:::states:startExecution'))) {
      expect(substitutions[placeholderIn(state.Parameters?.StateMachineArn) ?? ''], name).toEqual(allowed('states:StartExecution')[0]);
    }
  });

  it("has a role that may start its child, invoke, read and update the order, and log; nothing else (X-Ray comes from SAM's managed policy)", () => {
    expect(statements).toEqual([
      ...saga.startsChild,
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: saga.functions.map(fnArn) },
      { Effect: 'Allow', Action: ['dynamodb:UpdateItem', 'dynamodb:GetItem'], Resource: { 'Fn::GetAtt': ['OrdersTable', 'Arn'] } },
      ...loggingStatements(saga.logGroup),
    ]);
    const role = loadTemplate('transform').Resources[`${saga.logicalId}Role`];
    expect(role?.Properties?.ManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess']);
    expect((role?.Properties?.Policies as unknown[]).length).toBe(1);
  });
});

describe('the fulfilment saga', () => {
  it("retries a timed-out saga step, whether Lambda ended it (Sandbox.Timedout) or middy's early timeout did (TimeoutError)", () => {
    // Every step the saga retries on a crash is idempotent. Middy answers 5 ms before Lambda's
    // hard timeout with errorType TimeoutError, so a slow step reports that, not Sandbox.Timedout;
    // without it in the Retry a slow invocation would fail the order (found by the soak run).
    const retriedOnCrash = tasks.filter(([, state]) =>
      ((state.Retry as Array<{ ErrorEquals: string[] }> | undefined) ?? []).some((retry) => retry.ErrorEquals.includes('Sandbox.Timedout')),
    );
    expect(retriedOnCrash.map(([name]) => name).sort()).toEqual(['AwaitShipment', 'ReserveStock', 'TakePayment']);
    for (const [name, state] of retriedOnCrash) {
      const retries = (state.Retry as Array<{ ErrorEquals: string[] }>).filter((retry) => retry.ErrorEquals.includes('Sandbox.Timedout'));
      expect(retries.flatMap((retry) => retry.ErrorEquals), name).toContain('TimeoutError');
    }
  });

  it('alarms AlarmTopic on a failed execution', () => {
    expect(resource('FulfilmentExecutionsFailedAlarm').Properties).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: 'FulfilmentStateMachine' } }],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
      OKActions: [{ Ref: 'AlarmTopic' }],
    });
  });
});

describe('the fulfilment definition is valid', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'orders-state-machine-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** A definition as deployed: every placeholder replaced by a value of the right shape. */
  const deployedText = (text: string) =>
    text.replaceAll(/\$\{(\w+)\}/g, (_, name: string) =>
      name === 'OrdersTableName'
        ? 'serverless-orders-dev-OrdersTable-ABC123'
        : name.endsWith('StateMachineArn')
          ? `arn:aws:states:us-east-1:123456789012:stateMachine:${name.replace(/Arn$/, '')}-ABC123`
          : `arn:aws:lambda:us-east-1:123456789012:function:serverless-orders-dev-${name.replace(/Arn$/, '')}-ABC123`,
    );

  it('for asl-validator, as written and with the values substituted (states, transitions, paths, ARNs)', () => {
    for (const { file, text } of SAGA) {
      for (const [label, args] of [
        ['as written', ['--json-path', path.join(ROOT, file)]],
        ['substituted', ['--json-definition', deployedText(text)]],
      ] as const) {
        const result = run(ASL_VALIDATOR, [...args], { cwd: ROOT });
        expect(result.status, `${file} ${label}:\n${result.output}`).toBe(0);
      }
    }
    // The validator does catch what matters (a transition to a state that does not exist).
    const broken = JSON.parse(deployedText(childDefinitionText)) as { States: Record<string, State> };
    broken.States.TakePayment!.Next = 'NoSuchState';
    const result = run(ASL_VALIDATOR, ['--json-definition', JSON.stringify(broken)], { cwd: ROOT });
    expect(result.status, result.output).not.toBe(0);
  });

  /**
   * The SAM-transformed template with the definition inlined as `Definition`: cfn-lint checks a
   * state machine's definition only there (SAM turns DefinitionUri into DefinitionS3Location,
   * which cfn-lint cannot read). Linted outside the repository: the house rules apply to
   * template.yaml, not to SAM's output.
   */
  function lintInlined(edit: (definitions: Record<string, { States: Record<string, State> }>) => void = () => {}) {
    const transformed: SamTemplate = loadTemplate('transform');
    const inlined = Object.fromEntries(SAGA.map(({ logicalId, text }) => [logicalId, JSON.parse(text) as { States: Record<string, State> }]));
    edit(inlined);
    for (const { logicalId } of SAGA) {
      const properties = transformed.Resources[logicalId]?.Properties ?? {};
      expect(properties.DefinitionS3Location).toBeDefined();
      delete properties.DefinitionS3Location;
      properties.Definition = inlined[logicalId];
    }
    const file = path.join(scratch, `inlined-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(transformed, null, 1));
    return run(venvTool('cfn-lint'), ['--format', 'parseable', '--', file], { cwd: scratch });
  }

  it('for cfn-lint, inlined into the transformed template', () => {
    const clean = lintInlined();
    expect(clean.stdout + clean.stderr, clean.output).toBe('');
    expect(clean.status, clean.output).toBe(0);
    // And cfn-lint does look at it: a broken definition is reported.
    const broken = lintInlined((inlined) => {
      inlined.ConfirmOrderStateMachine!.States.MarkConfirmed!.Type = 'Taks';
      (inlined.FulfilmentStateMachine!.States.AwaitShipment!.Retry as Array<Record<string, unknown>>)[0]!.BackoffRate = 'fast';
    });
    expect(broken.stdout.match(/:E3601:/g)?.length, broken.output).toBe(2);
  });
});
