import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, loadTemplate, resource as resourceOf, run, venvTool, type SamTemplate } from './support/tools.ts';

// The fulfilment saga as the template deploys it (docs/fulfilment.md): its definition is valid
// (asl-validator, and cfn-lint's own state machine checks, which do not read DefinitionUri files),
// the template gives it every value it substitutes and nothing else, and its role may invoke
// exactly the Lambdas and DynamoDB actions its Task states use.

const DEFINITION_FILE = 'statemachine/fulfilment.asl.json';
const ASL_VALIDATOR = path.join(ROOT, 'node_modules/.bin/asl-validator');
const template = loadTemplate();
const resource = (logicalId: string) => resourceOf(template, logicalId);
const definitionText = readFileSync(path.join(ROOT, DEFINITION_FILE), 'utf8');

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

const definition = JSON.parse(definitionText) as { States: Record<string, State> };
const tasks = statesOf(definition).filter((entry): entry is [string, TaskState & State] => entry[1].Type === 'Task');
const machine = resource('FulfilmentStateMachine');
const substitutions = machine.Properties?.DefinitionSubstitutions as Record<string, unknown>;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
const statements = (machine.Properties?.Policies as Array<{ Statement: Statement[] }>).flatMap((policy) => policy.Statement);
const allowed = (action: string) =>
  statements.filter((statement) => statement.Effect === 'Allow' && [statement.Action].flat().includes(action)).flatMap((statement) => [statement.Resource].flat());

/** `${Name}` → Name, for a value that is exactly one placeholder. */
const placeholderIn = (value: unknown) => /^\$\{(\w+)\}$/.exec(String(value))?.[1];

const SAGA_FUNCTIONS = ['ReserveStockFunction', 'TakePaymentFunction', 'RefundPaymentFunction', 'ReleaseStockFunction', 'AwaitShipmentFunction'];

describe('the fulfilment state machine', () => {
  it('is a Standard workflow defined by statemachine/fulfilment.asl.json, traced, logging failures to its own group', () => {
    expect(machine.Type).toBe('AWS::Serverless::StateMachine');
    expect(machine.Properties).toMatchObject({
      Type: 'STANDARD',
      DefinitionUri: DEFINITION_FILE,
      Tracing: { Enabled: true },
      Logging: {
        Level: 'ERROR',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['FulfilmentStateMachineLogGroup', 'Arn'] } } }],
      },
    });
    expect(resource('FulfilmentStateMachineLogGroup')).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      DeletionPolicy: 'Delete',
      Properties: {
        LogGroupName: { 'Fn::Sub': '/aws/vendedlogs/states/${AWS::StackName}-fulfilment' },
        RetentionInDays: { 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, 'LogRetentionDays'] },
      },
    });
  });

  it('gets a value for every ${…} in the definition, and substitutes nothing else', () => {
    const placeholders = new Set([...definitionText.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]));
    expect([...placeholders].sort()).toEqual(Object.keys(substitutions).sort());
    expect(substitutions).toEqual({
      ...Object.fromEntries(SAGA_FUNCTIONS.map((fn) => [`${fn}Arn`, { Ref: `${fn}.Alias` }])),
      OrdersTableName: { Ref: 'OrdersTable' },
    });
  });

  it('invokes its steps through their live alias, never $LATEST, and may invoke only that alias (SAM translator output)', () => {
    // `!Ref X.Alias` means something only after the SAM transform: the alias resource it made.
    const transformed = loadTemplate('transform');
    const machine = transformed.Resources.FulfilmentStateMachine!.Properties as {
      DefinitionSubstitutions: Record<string, unknown>;
    };
    const role = transformed.Resources.FulfilmentStateMachineRole!.Properties as { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> };
    const invokable = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement).filter((statement) => statement.Action === 'lambda:InvokeFunction');
    for (const fn of SAGA_FUNCTIONS) {
      const alias = transformed.Resources[`${fn}Aliaslive`];
      expect(alias?.Type, fn).toBe('AWS::Lambda::Alias');
      expect(alias?.Properties, fn).toMatchObject({ Name: 'live', FunctionName: { Ref: fn } });
      expect(machine.DefinitionSubstitutions[`${fn}Arn`], fn).toEqual({ Ref: `${fn}Aliaslive` });
    }
    expect(invokable.map((statement) => statement.Resource)).toEqual([SAGA_FUNCTIONS.map((fn) => ({ Ref: `${fn}Aliaslive` }))]);
  });

  it('may invoke exactly the Lambdas its Task states invoke', () => {
    const lambdaTasks = tasks.filter(([, state]) => state.Resource.startsWith('arn:aws:states:::lambda:invoke'));
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
    expect(invokable).toEqual(SAGA_FUNCTIONS.map((fn) => ({ Ref: `${fn}.Alias` })));
  });

  it('may use exactly the DynamoDB actions of its direct integrations, on the orders table only', () => {
    const dynamoTasks = tasks.filter(([, state]) => state.Resource.startsWith('arn:aws:states:::dynamodb:'));
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

  it('uses only the service integrations its role allows (Lambda and DynamoDB)', () => {
    const resources = new Set(tasks.map(([, state]) => state.Resource));
    expect([...resources].sort()).toEqual([
      'arn:aws:states:::dynamodb:getItem',
      'arn:aws:states:::dynamodb:updateItem',
      'arn:aws:states:::lambda:invoke',
      'arn:aws:states:::lambda:invoke.waitForTaskToken',
    ]);
  });

  it('has a role that may invoke, read and update the order, and log; nothing else (X-Ray comes from SAM\'s managed policy)', () => {
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: SAGA_FUNCTIONS.map((fn) => ({ Ref: `${fn}.Alias` })) },
      { Effect: 'Allow', Action: ['dynamodb:UpdateItem', 'dynamodb:GetItem'], Resource: { 'Fn::GetAtt': ['OrdersTable', 'Arn'] } },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['FulfilmentStateMachineLogGroup', 'Arn'] } },
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
    ]);
    const role = loadTemplate('transform').Resources.FulfilmentStateMachineRole;
    expect(role?.Properties?.ManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess']);
    expect((role?.Properties?.Policies as unknown[]).length).toBe(1);
  });

  it("retries a timed-out saga step, whether Lambda ended it (Sandbox.Timedout) or middy's early timeout did (TimeoutError)", () => {
    // Every step the saga retries on a crash is idempotent. Middy answers 5 ms before Lambda's
    // hard timeout with errorType TimeoutError, so a slow step reports that, not Sandbox.Timedout;
    // without it in the Retry a slow invocation would fail the order (found by the soak run).
    const retriedOnCrash = tasks.filter(([, state]) =>
      ((state.Retry as Array<{ ErrorEquals: string[] }> | undefined) ?? []).some((retry) => retry.ErrorEquals.includes('Sandbox.Timedout')),
    );
    expect(retriedOnCrash.map(([name]) => name)).toEqual(['ReserveStock', 'TakePayment', 'AwaitShipment']);
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

  /** The definition as deployed: every placeholder replaced by a value of the right shape. */
  const deployedText = () =>
    definitionText.replaceAll(/\$\{(\w+)\}/g, (_, name: string) =>
      name === 'OrdersTableName' ? 'serverless-orders-dev-OrdersTable-ABC123' : `arn:aws:lambda:us-east-1:123456789012:function:serverless-orders-dev-${name.replace(/Arn$/, '')}-ABC123`,
    );

  it('for asl-validator, as written and with the values substituted (states, transitions, paths, ARNs)', () => {
    for (const [label, args] of [
      ['as written', ['--json-path', path.join(ROOT, DEFINITION_FILE)]],
      ['substituted', ['--json-definition', deployedText()]],
    ] as const) {
      const result = run(ASL_VALIDATOR, [...args], { cwd: ROOT });
      expect(result.status, `${label}:\n${result.output}`).toBe(0);
    }
    // The validator does catch what matters (a transition to a state that does not exist).
    const broken = JSON.parse(deployedText()) as { States: Record<string, State> };
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
  function lintInlined(edit: (definition: { States: Record<string, State> }) => void = () => {}) {
    const transformed: SamTemplate = loadTemplate('transform');
    const properties = transformed.Resources.FulfilmentStateMachine?.Properties ?? {};
    expect(properties.DefinitionS3Location).toBeDefined();
    delete properties.DefinitionS3Location;
    const inlined = JSON.parse(definitionText) as { States: Record<string, State> };
    edit(inlined);
    properties.Definition = inlined;
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
      inlined.States.MarkConfirmed!.Type = 'Taks';
      (inlined.States.ReserveStock!.Retry as Array<Record<string, unknown>>)[0]!.BackoffRate = 'fast';
    });
    expect(broken.stdout.match(/:E3601:/g)?.length, broken.output).toBe(2);
  });
});
