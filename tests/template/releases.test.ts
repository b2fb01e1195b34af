import { describe, expect, it } from 'vitest';
import { loadTemplate, resource as resourceOf, resourcesOfType, run, venvTool, type SamResource, type SamTemplate } from './support/tools.ts';

// Releases (docs/operations.md, "Releases"; docs/decisions.md, D27): every function publishes a
// version per change behind its `live` alias, and everything calls the alias; the API functions
// move their alias through CodeDeploy (DeploymentType), after a PreTraffic smoke test, and roll
// back when one of their alarms on the new version fires. What the SAM transform makes of it is
// checked on its own output (the real translator, offline).

const template = loadTemplate();
const transformed = loadTemplate('transform');
const resource = (logicalId: string): SamResource => resourceOf(template, logicalId);

const HOOK = 'PreTrafficSmokeTestFunction';
const deployed = resourcesOfType(template, 'AWS::Serverless::Function').filter(([, fn]) => fn.Condition === undefined);
/** Every function that serves users: all but the release hook. */
const FUNCTIONS = deployed.map(([id]) => id).filter((id) => id !== HOOK);
const eventTypes = (logicalId: string) => Object.values((resource(logicalId).Properties?.Events ?? {}) as Record<string, { Type: string }>).map((event) => event.Type);
const API_FUNCTIONS = FUNCTIONS.filter((id) => eventTypes(id).includes('Api'));
const SAGA_STEPS = FUNCTIONS.filter((id) => eventTypes(id).length === 0);
const ALARM_KINDS = ['Errors', 'Throttles', 'Duration'] as const;

/** The logical id SAM gives a function's published version (`<Function>Version<hash>`). */
function versionIdOf(output: SamTemplate, fn: string): string {
  const alias = output.Resources[`${fn}Aliaslive`];
  const version = (alias?.Properties?.FunctionVersion as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
  if (version === undefined) throw new Error(`${fn} has no live alias pointing at a version`);
  return version;
}

describe('versions and the live alias', () => {
  it('every function publishes a version for any change of itself (AllProperties) behind `live`', () => {
    expect(template.Globals?.Function?.AutoPublishAlias).toBe('live');
    for (const [id] of deployed) expect(resource(id).Properties?.AutoPublishAliasAllProperties, id).toBe(true);
    expect(resource('SharedLayer').Properties?.PublishLambdaVersion).toBe(true);
    // No provisioned concurrency (docs/decisions.md, D27).
    for (const [id] of deployed) expect(resource(id).Properties?.ProvisionedConcurrencyConfig, id).toBeUndefined();
  });

  it('a change of the layer alone publishes a new version of every function (serverless-application-model#3610)', () => {
    const before = Object.fromEntries(deployed.map(([id]) => [id, versionIdOf(transformed, id)]));
    const layerChanged = loadTemplate('transform', { artifacts: { SharedLayer: 's3://packaged-artifacts/SharedLayer-changed.zip' } });
    for (const [id] of deployed) expect(versionIdOf(layerChanged, id), id).not.toBe(before[id]);
    // A function's own code changes only its version: the others keep theirs (no needless canary).
    const oneChanged = loadTemplate('transform', { artifacts: { GetOrderFunction: 's3://packaged-artifacts/GetOrderFunction-changed.zip' } });
    for (const [id] of deployed) {
      if (id === 'GetOrderFunction') expect(versionIdOf(oneChanged, id), id).not.toBe(before[id]);
      else expect(versionIdOf(oneChanged, id), id).toBe(before[id]);
    }
  });

  it('API Gateway, the event source mappings and their permissions call the alias, never $LATEST (SAM translator output)', () => {
    const paths = (transformed.Resources.OrdersApi?.Properties?.Body as { paths: Record<string, Record<string, { 'x-amazon-apigateway-integration'?: { type: string; uri: unknown } }>> }).paths;
    const uris = Object.values(paths)
      .flatMap((methods) => Object.values(methods))
      .map((operation) => operation['x-amazon-apigateway-integration'])
      .filter((integration) => integration?.type === 'aws_proxy') // not the CORS preflight mocks
      .map((integration) => JSON.stringify(integration?.uri));
    // One integration per route: a function may serve more than one (the partner routes share the catalog's).
    const apiEvents = API_FUNCTIONS.flatMap((id) => eventTypes(id).filter((type) => type === 'Api'));
    expect(uris).toHaveLength(apiEvents.length);
    for (const uri of uris) expect(uri).toMatch(/functions\/\$\{\w+FunctionAliaslive\}\/invocations/);
    for (const [id, permission] of resourcesOfType(transformed, 'AWS::Lambda::Permission')) {
      expect(JSON.stringify(permission.Properties?.FunctionName), id).toMatch(/^\{"Ref":"\w+FunctionAliaslive"\}$/);
    }
    const mappings = resourcesOfType(transformed, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(3);
    for (const [id, mapping] of mappings) expect(JSON.stringify(mapping.Properties?.FunctionName), id).toMatch(/^\{"Ref":"\w+FunctionAliaslive"\}$/);
  });
});

describe('deployment preferences', () => {
  it('every API function deploys through CodeDeploy as DeploymentType says, rolled back by its own three alarms', () => {
    expect(API_FUNCTIONS).toHaveLength(12);
    for (const fn of API_FUNCTIONS) {
      expect(resource(fn).Properties?.DeploymentPreference, fn).toEqual({
        Type: { Ref: 'DeploymentType' },
        ...(fn === 'ListProductsFunction' && { Hooks: { PreTraffic: { Ref: HOOK } } }),
        Alarms: ALARM_KINDS.map((kind) => ({ Ref: `${fn}${kind}Alarm` })),
      });
    }
    // Event consumers and saga steps move their alias when the stack updates (no CodeDeploy).
    for (const fn of FUNCTIONS.filter((id) => !API_FUNCTIONS.includes(id))) expect(resource(fn).Properties?.DeploymentPreference, fn).toBeUndefined();
    expect(resource(HOOK).Properties?.DeploymentPreference).toBeUndefined();
  });

  it('in the translator output: one deployment group per API function, its alarms, auto-rollback, the hook before traffic', () => {
    for (const fn of API_FUNCTIONS) {
      const group = transformed.Resources[`${fn}DeploymentGroup`]?.Properties;
      expect(group?.AlarmConfiguration, fn).toEqual({ Alarms: ALARM_KINDS.map((kind) => ({ Name: { Ref: `${fn}${kind}Alarm` } })), Enabled: true });
      expect(group?.AutoRollbackConfiguration, fn).toEqual({ Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] });
      const update = (transformed.Resources[`${fn}Aliaslive`] as SamResource & { UpdatePolicy?: { CodeDeployLambdaAliasUpdate: Record<string, unknown> } }).UpdatePolicy;
      expect(update?.CodeDeployLambdaAliasUpdate, fn).toMatchObject({ DeploymentGroupName: { Ref: `${fn}DeploymentGroup` } });
      expect(update?.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook, fn).toEqual(fn === 'ListProductsFunction' ? { Ref: HOOK } : undefined);
    }
    expect(transformed.Resources.CodeDeployServiceRole?.Properties?.ManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda']);
  });

  it('DeploymentType picks the CodeDeploy configuration: AllAtOnce by default (dev), a 10% canary for 5 minutes in prod', () => {
    const configOf = (output: SamTemplate) => output.Resources.ListProductsFunctionDeploymentGroup?.Properties?.DeploymentConfigName;
    expect(configOf(transformed)).toEqual({ 'Fn::Sub': ['CodeDeployDefault.Lambda${ConfigName}', { ConfigName: 'AllAtOnce' }] });
    const prod = loadTemplate('transform', { parameters: { DeploymentType: 'Canary10Percent5Minutes' } });
    expect(configOf(prod)).toEqual({ 'Fn::Sub': ['CodeDeployDefault.Lambda${ConfigName}', { ConfigName: 'Canary10Percent5Minutes' }] });
    expect(template.Parameters?.DeploymentType?.Default).toBe('AllAtOnce');
  });

  it('samconfig.toml: dev deploys all at once, prod as a canary (read by SAM CLI)', () => {
    const read = run(venvTool('python'), [
      '-c',
      `import json
from samcli.cli.types import CfnParameterOverridesType
from samcli.lib.config.samconfig import SamConfig
config = SamConfig(".")
print(json.dumps({env: CfnParameterOverridesType().convert((config.get_all(["deploy"], "parameters", env).get("parameter_overrides", ""),), None, None) for env in ("default", "dev", "prod")}))`,
    ]);
    expect(read.status, read.output).toBe(0);
    const overrides = JSON.parse(read.stdout) as Record<string, Record<string, string>>;
    expect(overrides.default?.DeploymentType).toBe('AllAtOnce');
    expect(overrides.dev?.DeploymentType).toBe('AllAtOnce');
    expect(overrides.prod?.DeploymentType).toBe('Canary10Percent5Minutes');
  });
});

describe('per-function alarms', () => {
  it('every function has exactly its errors, throttles and p99 duration alarms, and there are no other Lambda alarms', () => {
    // The stream publisher's IteratorAge alarm is an operations alarm of the event source, not of a release.
    const lambdaAlarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(
      ([, alarm]) => alarm.Properties?.Namespace === 'AWS/Lambda' && alarm.Properties?.MetricName !== 'IteratorAge',
    );
    expect(lambdaAlarms.map(([id]) => id).sort()).toEqual(FUNCTIONS.flatMap((fn) => ALARM_KINDS.map((kind) => `${fn}${kind}Alarm`)).sort());
  });

  it.each(FUNCTIONS)('%s: errors and p99 duration of the version the last deployment published, throttles of the alias', (fn) => {
    const alias = [
      { Name: 'FunctionName', Value: { Ref: fn } },
      { Name: 'Resource', Value: { 'Fn::Sub': `\${${fn}}:live` } },
    ];
    const newVersion = [...alias, { Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': [fn, 'Version.Version'] } }];
    const common = {
      Namespace: 'AWS/Lambda',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
      OKActions: [{ Ref: 'AlarmTopic' }],
    };
    const { AlarmDescription: errorsDescription, ...errors } = resource(`${fn}ErrorsAlarm`).Properties ?? {};
    expect(errors).toEqual({
      ...common,
      MetricName: 'Errors',
      Dimensions: newVersion,
      Statistic: 'Sum',
      EvaluationPeriods: 1,
      // Saga steps fail on purpose with named errors the state machine catches.
      Threshold: { Ref: SAGA_STEPS.includes(fn) ? 'SagaStepErrorsAlarmThreshold' : 'FunctionErrorsAlarmThreshold' },
    });
    const { AlarmDescription: throttlesDescription, ...throttles } = resource(`${fn}ThrottlesAlarm`).Properties ?? {};
    expect(throttles).toEqual({ ...common, MetricName: 'Throttles', Dimensions: alias, Statistic: 'Sum', EvaluationPeriods: 1, Threshold: { Ref: 'FunctionThrottlesAlarmThreshold' } });
    const { AlarmDescription: durationDescription, ...duration } = resource(`${fn}DurationAlarm`).Properties ?? {};
    expect(duration).toEqual({
      ...common,
      MetricName: 'Duration',
      Dimensions: newVersion,
      ExtendedStatistic: 'p99',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: { Ref: 'FunctionDurationP99AlarmMilliseconds' },
    });
    for (const description of [errorsDescription, throttlesDescription, durationDescription]) {
      expect(JSON.stringify(description), fn).toContain(`\${${fn}}: `);
      expect(JSON.stringify(description), fn).toContain('docs/operations.md, \\"Releases\\"');
    }
  });

  it('ExecutedVersion is the version the alias points at, in the translator output', () => {
    for (const fn of FUNCTIONS) {
      const dimensions = transformed.Resources[`${fn}ErrorsAlarm`]?.Properties?.Dimensions as Array<{ Name: string; Value: unknown }>;
      expect(dimensions.find((dimension) => dimension.Name === 'ExecutedVersion')?.Value, fn).toEqual({ 'Fn::GetAtt': [versionIdOf(transformed, fn), 'Version'] });
    }
  });
});

describe('the PreTraffic hook', () => {
  const hook = resource(HOOK).Properties ?? {};

  it('is named CodeDeployHook_… (the only functions SAM’s CodeDeploy role may invoke) and tests the new ListProducts version', () => {
    expect(hook.FunctionName).toEqual({ 'Fn::Sub': 'CodeDeployHook_${AWS::StackName}-pre-traffic' });
    expect(hook.CodeUri).toBe('functions/deploy/pre-traffic-smoke-test');
    // Longer than the function it calls may take (Globals: 10 s).
    expect(hook.Timeout).toBe(30);
    expect(hook.Events).toBeUndefined();
    expect((hook.Environment as { Variables: Record<string, unknown> }).Variables).toEqual({
      SMOKE_TEST_FUNCTION_ARN: { Ref: 'ListProductsFunction.Version' },
      AWS_ENDPOINT_URL_LAMBDA: '',
      AWS_ENDPOINT_URL_CODEDEPLOY: '',
    });
  });

  it('may invoke only the version under test, and report only to this stack’s deployment groups', () => {
    expect(hook.Policies).toEqual([
      {
        Statement: [
          { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { Ref: 'ListProductsFunction.Version' } },
          {
            Effect: 'Allow',
            Action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
            Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${ServerlessDeploymentApplication}/*' },
          },
        ],
      },
    ]);
    // After the transform: the qualified ARN of the very version the alias moves to.
    const statements = (transformed.Resources[`${HOOK}Role`]?.Properties?.Policies as Array<{ PolicyDocument: { Statement: Array<{ Action: string; Resource: unknown }> } }>).flatMap((policy) => policy.PolicyDocument.Statement);
    expect(statements.find((statement) => statement.Action === 'lambda:InvokeFunction')?.Resource).toEqual({ Ref: versionIdOf(transformed, 'ListProductsFunction') });
  });
});
