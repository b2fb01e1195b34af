import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { orderEvent } from '../../layers/shared/src/events/schemas.ts';
import { ROOT, loadTemplate, resourcesOfType, type SamResource } from './support/tools.ts';

// Day-two operations in the template (docs/operations.md): the alarms, the dashboard and the
// saved Logs Insights queries. They name functions, queues and metrics one by one, so these
// checks keep them from drifting when a function, a queue or a metric is added.

const template = loadTemplate();
const resource = (logicalId: string): SamResource => {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`${logicalId} is not in template.yaml`);
  return found;
};
const ref = (logicalId: string) => ({ Ref: logicalId });

/** Every function the stack deploys (LocalAuthorizerFunction exists only for `sam local`, D24). */
const FUNCTIONS = resourcesOfType(template, 'AWS::Serverless::Function')
  .filter(([, fn]) => fn.Condition === undefined)
  .map(([id]) => id);
/** E9003: every queue that is not a dead-letter queue has a RedrivePolicy. */
const QUEUES = resourcesOfType(template, 'AWS::SQS::Queue');
const MAIN_QUEUES = QUEUES.filter(([, queue]) => queue.Properties?.RedrivePolicy !== undefined).map(([id]) => id);
const DLQS = QUEUES.filter(([, queue]) => queue.Properties?.RedrivePolicy === undefined).map(([id]) => id);
const STATE_MACHINES = resourcesOfType(template, 'AWS::Serverless::StateMachine').map(([id]) => id);
const ALARMS = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
/** The canary deployments' alarms on each function's new version (errors, throttles, p99 duration). */
const PER_FUNCTION_ALARM = /^(\w+Function)(Errors|Throttles|Duration)Alarm$/;

const functionEnvironment = (template.Globals?.Function?.Environment as { Variables: Record<string, string> }).Variables;
const METRICS_NAMESPACE = functionEnvironment.POWERTOOLS_METRICS_NAMESPACE!;
const SERVICE = functionEnvironment.POWERTOOLS_SERVICE_NAME!;

// --- the dashboard body -----------------------------------------------------------------

/** `${Name}` of the body's !Sub, kept readable: `${OrdersTable}` → `{ref:OrdersTable}`. */
function dashboardBody(): { widgets: Widget[] } {
  const body = resource('OperationsDashboard').Properties?.DashboardBody as { 'Fn::Sub': string };
  expect(typeof body['Fn::Sub'], 'DashboardBody is one !Sub string').toBe('string');
  return JSON.parse(body['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '{ref:$1}')) as { widgets: Widget[] };
}

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { title?: string; stat?: string; metrics?: unknown[][]; alarms?: string[] };
}

interface DashboardMetric {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  stat: string | undefined;
  widget: string | undefined;
}

const dashboard = dashboardBody();
const DASHBOARD_METRICS: DashboardMetric[] = dashboard.widgets.flatMap((widget) =>
  (widget.properties.metrics ?? []).map((entry) => {
    const options = typeof entry.at(-1) === 'object' ? (entry.at(-1) as { stat?: string }) : undefined;
    const [namespace, name, ...pairs] = (options === undefined ? entry : entry.slice(0, -1)) as string[];
    const dimensions: Record<string, string> = {};
    for (let index = 0; index < pairs.length; index += 2) dimensions[pairs[index]!] = pairs[index + 1]!;
    return { namespace: namespace!, name: name!, dimensions, stat: options?.stat ?? widget.properties.stat, widget: widget.properties.title };
  }),
);
const shows = (namespace: string, name: string, dimensions: Record<string, string>, stat?: string) =>
  DASHBOARD_METRICS.some(
    (metric) =>
      metric.namespace === namespace &&
      metric.name === name &&
      JSON.stringify(metric.dimensions) === JSON.stringify(dimensions) &&
      (stat === undefined || metric.stat === stat),
  );

// --- the metrics the code emits ------------------------------------------------------------

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = path.join(directory, entry);
    if (entry === 'node_modules' || entry === 'dist') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry) && !/\.test\.ts$/.test(entry) ? [full] : [];
  });
}

/**
 * Names that are built at run time, and every value they take. A new one fails the test below
 * until it is listed here (and on the dashboard).
 */
// zod/mini keeps a union's options and an object's shape in its definition (`_zod.def`).
const EVENT_TYPES = orderEvent._zod.def.options.map((option) => option._zod.def.shape.type._zod.def.values[0]);
const DYNAMIC_METRIC_NAMES: Record<string, string[]> = {
  '`${event.type}Published`': EVENT_TYPES.map((type) => `${type}Published`),
};

/** The first argument of every `metrics.addMetric(…)` in the functions and the shared layer. */
function emittedMetricNames(): string[] {
  const files = [...sourceFiles(path.join(ROOT, 'functions')), ...sourceFiles(path.join(ROOT, 'layers/shared/src'))];
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/\baddMetric\(\s*('[^']*'|"[^"]*"|`[^`]*`)/g)].flatMap(([, argument]) => {
      const literal = argument!;
      if (!literal.startsWith('`') || !literal.includes('${')) return [literal.slice(1, -1)];
      const expanded = DYNAMIC_METRIC_NAMES[literal];
      if (expanded === undefined) throw new Error(`${path.relative(ROOT, file)}: addMetric(${literal}, …): list its values in DYNAMIC_METRIC_NAMES`);
      return expanded;
    }),
  );
}

describe('the operations dashboard', () => {
  const api = { ApiName: '{ref:AWS::StackName}', Stage: '{ref:Stage}' };

  it('lays its widgets out inside the 24-column grid, without overlaps', () => {
    const cells = new Set<string>();
    for (const widget of dashboard.widgets) {
      expect(widget.x + widget.width, widget.properties.title).toBeLessThanOrEqual(24);
      for (let x = widget.x; x < widget.x + widget.width; x++) {
        for (let y = widget.y; y < widget.y + widget.height; y++) {
          expect(cells.has(`${x},${y}`), `${widget.properties.title ?? widget.type} overlaps another widget at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('shows the API: requests, 4XX, 5XX, latency p50 and p99', () => {
    expect(shows('AWS/ApiGateway', 'Count', api, 'Sum')).toBe(true);
    expect(shows('AWS/ApiGateway', '4XXError', api, 'Sum')).toBe(true);
    expect(shows('AWS/ApiGateway', '5XXError', api, 'Sum')).toBe(true);
    expect(shows('AWS/ApiGateway', 'Latency', api, 'p50')).toBe(true);
    expect(shows('AWS/ApiGateway', 'Latency', api, 'p99')).toBe(true);
  });

  it('shows every function: errors, throttles, p99 duration, concurrent executions', () => {
    expect(FUNCTIONS.length).toBeGreaterThan(15);
    for (const fn of FUNCTIONS) {
      const dimensions = { FunctionName: `{ref:${fn}}` };
      expect(shows('AWS/Lambda', 'Errors', dimensions, 'Sum'), `${fn} Errors`).toBe(true);
      expect(shows('AWS/Lambda', 'Throttles', dimensions, 'Sum'), `${fn} Throttles`).toBe(true);
      expect(shows('AWS/Lambda', 'Duration', dimensions, 'p99'), `${fn} Duration p99`).toBe(true);
      expect(shows('AWS/Lambda', 'ConcurrentExecutions', dimensions, 'Maximum'), `${fn} ConcurrentExecutions`).toBe(true);
    }
    // Nothing else: a removed function must leave the dashboard too.
    const shown = new Set(DASHBOARD_METRICS.filter((metric) => metric.namespace === 'AWS/Lambda').map((metric) => metric.dimensions.FunctionName));
    expect([...shown].sort()).toEqual(FUNCTIONS.map((fn) => `{ref:${fn}}`).sort());
  });

  it("shows every queue's oldest message and every dead-letter queue's depth", () => {
    expect(MAIN_QUEUES.length).toBeGreaterThan(0);
    expect(DLQS.length).toBeGreaterThan(0);
    for (const queue of MAIN_QUEUES) {
      expect(shows('AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: `{ref:${queue}.QueueName}` }, 'Maximum'), queue).toBe(true);
    }
    for (const dlq of DLQS) {
      expect(shows('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: `{ref:${dlq}.QueueName}` }, 'Maximum'), dlq).toBe(true);
    }
  });

  it('shows the stream publisher falling behind, and table throttling on the table and each GSI', () => {
    for (const fn of streamConsumers()) expect(shows('AWS/Lambda', 'IteratorAge', { FunctionName: `{ref:${fn}}` }, 'Maximum'), fn).toBe(true);
    for (const [table, indexes] of tablesWithIndexes()) {
      for (const index of [undefined, ...indexes]) {
        const dimensions = { TableName: `{ref:${table}}`, ...(index === undefined ? {} : { GlobalSecondaryIndexName: index }) };
        expect(shows('AWS/DynamoDB', 'ReadThrottleEvents', dimensions, 'Sum'), `${table} ${index ?? ''}`).toBe(true);
        expect(shows('AWS/DynamoDB', 'WriteThrottleEvents', dimensions, 'Sum'), `${table} ${index ?? ''}`).toBe(true);
      }
    }
  });

  it('shows every state machine: executions started, succeeded, failed', () => {
    for (const machine of STATE_MACHINES) {
      for (const name of ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut']) {
        expect(shows('AWS/States', name, { StateMachineArn: `{ref:${machine}}` }, 'Sum'), `${machine} ${name}`).toBe(true);
      }
    }
  });

  it('shows every business metric the code emits, under the namespace and service the functions use', () => {
    const emitted = emittedMetricNames();
    expect(emitted).toEqual(expect.arrayContaining(['OrdersPlaced', 'PaymentsTaken', 'PaymentsRefunded', 'OrderPlacedPublished']));
    for (const name of new Set(emitted)) {
      expect(shows(METRICS_NAMESPACE, name, { service: SERVICE }, 'Sum'), `${METRICS_NAMESPACE} ${name} (service=${SERVICE})`).toBe(true);
    }
    // And no metric the code no longer emits.
    const shown = DASHBOARD_METRICS.filter((metric) => metric.namespace === METRICS_NAMESPACE).map((metric) => metric.name);
    expect([...new Set(shown)].sort()).toEqual([...new Set(emitted)].sort());
  });

  it("shows the state of every alarm but the canary's per-function ones", () => {
    const alarmWidget = dashboard.widgets.find((widget) => widget.type === 'alarm');
    const expected = ALARMS.map(([id]) => id).filter((id) => !PER_FUNCTION_ALARM.test(id));
    expect(alarmWidget?.properties.alarms?.slice().sort()).toEqual(expected.map((id) => `{ref:${id}.Arn}`).sort());
  });
});

function streamConsumers(): string[] {
  return FUNCTIONS.filter((fn) =>
    Object.values((resource(fn).Properties?.Events ?? {}) as Record<string, { Type: string }>).some((event) => event.Type === 'DynamoDB'),
  );
}

function tablesWithIndexes(): Array<[string, string[]]> {
  return resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id, table]) => [
    id,
    ((table.Properties?.GlobalSecondaryIndexes ?? []) as Array<{ IndexName: string }>).map((index) => index.IndexName),
  ]);
}

// --- alarms ----------------------------------------------------------------------------------

describe('alarms', () => {
  const properties = (id: string) => resource(id).Properties as Record<string, unknown>;
  const parameterNames = Object.keys(template.Parameters ?? {}).filter((name) => name.startsWith('Alarm'));

  it('every alarm tells AlarmTopic when it fires and when it clears', () => {
    expect(ALARMS.length).toBeGreaterThan(0);
    for (const [id, alarm] of ALARMS) {
      // Containing: a canary deployment's alarm may have more to tell (CodeDeploy reads it directly).
      expect(alarm.Properties, id).toMatchObject({
        AlarmActions: expect.arrayContaining([ref('AlarmTopic')]),
        OKActions: expect.arrayContaining([ref('AlarmTopic')]),
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('every Alarm* parameter has a default and is the threshold of an alarm', () => {
    expect(parameterNames.length).toBeGreaterThan(0);
    const thresholds = ALARMS.map(([, alarm]) => alarm.Properties?.Threshold);
    for (const name of parameterNames) {
      expect(template.Parameters?.[name]?.Default, name).toBeDefined();
      expect(thresholds, name).toContainEqual(ref(name));
    }
  });

  it('Api5xxRateAlarm: 5XX responses as a percentage of requests', () => {
    const alarm = properties('Api5xxRateAlarm');
    const metrics = alarm.Metrics as Array<{ Id: string; Expression?: string; ReturnData: boolean; MetricStat?: { Metric: { MetricName: string; Namespace: string } } }>;
    const byName = Object.fromEntries(metrics.filter((metric) => metric.MetricStat).map((metric) => [metric.MetricStat!.Metric.MetricName, metric.Id]));
    expect(Object.keys(byName).sort()).toEqual(['5XXError', 'Count']);
    const returned = metrics.filter((metric) => metric.ReturnData);
    expect(returned).toHaveLength(1);
    expect(returned[0]!.Expression).toBe(`100 * FILL(${byName['5XXError']}, 0) / ${byName.Count}`);
    expect(alarm.Threshold).toEqual(ref('AlarmApi5xxRatePercent'));
  });

  it('ApiLatencyP99Alarm: the p99 of API Gateway latency', () => {
    expect(properties('ApiLatencyP99Alarm')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: ref('AlarmApiLatencyP99Ms'),
    });
  });

  it('OrdersTableThrottlesAlarm: read and write throttle events of the table and of each GSI', () => {
    const [[table, indexes]] = tablesWithIndexes() as [[string, string[]]];
    const alarm = properties('OrdersTableThrottlesAlarm');
    const metrics = alarm.Metrics as Array<{ Id: string; Expression?: string; ReturnData: boolean; MetricStat?: { Metric: { MetricName: string; Dimensions: Array<{ Name: string; Value: unknown }> } } }>;
    const watched = metrics
      .filter((metric) => metric.MetricStat)
      .map((metric) => {
        const dimensions = Object.fromEntries(metric.MetricStat!.Metric.Dimensions.map((dimension) => [dimension.Name, dimension.Value]));
        return `${metric.MetricStat!.Metric.MetricName} ${JSON.stringify(dimensions.TableName)} ${String(dimensions.GlobalSecondaryIndexName ?? 'table')}`;
      });
    const expected = ['table', ...indexes].flatMap((index) =>
      ['ReadThrottleEvents', 'WriteThrottleEvents'].map((name) => `${name} ${JSON.stringify(ref(table))} ${index}`),
    );
    expect(watched.sort()).toEqual(expected.sort());
    // The alarm sums every one of them.
    const sum = metrics.find((metric) => metric.ReturnData)!.Expression!;
    for (const metric of metrics.filter((candidate) => candidate.MetricStat)) expect(sum).toContain(`FILL(${metric.Id}, 0)`);
  });

  it("every stream consumer alarms on its iterator age", () => {
    const watched = ALARMS.filter(([, alarm]) => alarm.Properties?.MetricName === 'IteratorAge').map(
      ([, alarm]) => (alarm.Properties?.Dimensions as Array<{ Value: unknown }>)[0]?.Value,
    );
    expect(streamConsumers().length).toBeGreaterThan(0);
    expect(watched).toEqual(streamConsumers().map(ref));
  });

  it('every state machine alarms on failed and on timed-out executions', () => {
    for (const machine of STATE_MACHINES) {
      for (const name of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        const alarm = ALARMS.find(
          ([, candidate]) =>
            candidate.Properties?.Namespace === 'AWS/States' &&
            candidate.Properties.MetricName === name &&
            JSON.stringify(candidate.Properties.Dimensions) === JSON.stringify([{ Name: 'StateMachineArn', Value: ref(machine) }]),
        );
        expect(alarm, `${machine} ${name}`).toBeDefined();
        expect(alarm![1].Properties).toMatchObject({ Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      }
    }
  });
});

// --- the runbook -----------------------------------------------------------------------------

describe('docs/operations.md', () => {
  const runbook = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
  /** `### ` headings of the runbook's alarm entries, each with the body up to the next heading. */
  const entries = [...runbook.matchAll(/^### (.+)\n([\s\S]*?)(?=^#{2,3} |(?![\s\S]))/gm)].map(([, heading, body]) => ({ heading: heading!, body: body! }));
  const entryFor = (alarmId: string) => {
    const perFunction = PER_FUNCTION_ALARM.exec(alarmId);
    const name = perFunction === null ? alarmId : `<Function>${perFunction[2]}Alarm`;
    return entries.find((entry) => entry.heading.includes(`\`${name}\``));
  };

  it('has an entry for every alarm of the template: what it means, how to reproduce it locally, what to do', () => {
    expect(ALARMS.length).toBeGreaterThan(5);
    for (const [id] of ALARMS) {
      const entry = entryFor(id);
      expect(entry, `docs/operations.md: a "### … \`${id}\` …" entry`).toBeDefined();
      expect(entry!.body, `${id}: **Means**`).toContain('**Means**');
      expect(entry!.body, `${id}: **Reproduce locally**`).toContain('**Reproduce locally**');
      expect(entry!.body, `${id}: **Do**`).toContain('**Do**');
    }
  });

  it('has an entry for the per-function canary alarms (errors, throttles, p99 duration)', () => {
    for (const kind of ['Errors', 'Throttles', 'Duration']) expect(entryFor(`PlaceOrderFunction${kind}Alarm`), kind).toBeDefined();
  });

  it('names no alarm the template does not have', () => {
    const ids = new Set(ALARMS.map(([id]) => id));
    const named = entries.flatMap((entry) => [...entry.heading.matchAll(/`(\w+Alarm)`/g)].map(([, id]) => id!));
    expect(named.length).toBeGreaterThan(0);
    for (const id of named) expect(ids.has(id), `docs/operations.md names ${id}`).toBe(true);
  });
});

// --- saved Logs Insights queries ---------------------------------------------------------------

describe('saved Logs Insights queries', () => {
  const functionLogGroups = FUNCTIONS.map((fn) => (resource(fn).Properties?.LoggingConfig as { LogGroup: unknown }).LogGroup);
  const query = (id: string) => resource(id).Properties as { Name: unknown; QueryString: string; LogGroupNames: unknown[] };

  it('the order trail reads every function and every state machine log group, for one id, oldest first', () => {
    const trail = query('OrderTrailQuery');
    const machineLogGroups = STATE_MACHINES.map((machine) => {
      const logging = resource(machine).Properties?.Logging as { Destinations: Array<{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string, string] } } }> };
      return ref(logging.Destinations[0]!.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0]);
    });
    expect(trail.LogGroupNames.slice().sort(byJson)).toEqual([...functionLogGroups, ...machineLogGroups].sort(byJson));
    expect(trail.QueryString).toContain('filter @message like "ORDER_OR_CORRELATION_ID"');
    expect(trail.QueryString).toContain('sort @timestamp asc');
  });

  it('errors by function reads every function log group', () => {
    const errors = query('ErrorsByFunctionQuery');
    expect(errors.LogGroupNames.slice().sort(byJson)).toEqual(functionLogGroups.slice().sort(byJson));
    expect(errors.QueryString).toMatch(/stats count\(\*\) as errors.* by @log/);
  });

  it('the slowest requests come from the API access log, slowest first', () => {
    const slowest = query('SlowestRequestsQuery');
    expect(slowest.LogGroupNames).toEqual([ref('ApiAccessLogGroup')]);
    expect(slowest.QueryString).toContain('sort responseLatency desc');
    // The access log records the fields the query shows.
    const format = (resource('OrdersApi').Properties?.AccessLogSetting as { Format: string }).Format;
    for (const field of ['httpMethod', 'resourcePath', 'status', 'responseLatency', 'integrationLatency', 'requestId']) expect(format).toContain(`"${field}":`);
  });
});

function byJson(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
