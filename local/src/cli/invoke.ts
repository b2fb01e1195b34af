/**
 * `npm run invoke -- <FunctionLogicalId> [-e events/<file>.json]`: the Docker-free
 * `sam local invoke`. Invokes one function of template.yaml with an event, in the running
 * local cloud (`npm start`) through its control endpoint, so the invocation sees the same
 * environment, endpoints and data as every other; without a running cloud it starts one for
 * this invocation (seeded, on free ports) and stops it afterwards.
 *
 * The function's log lines of this invocation go to stderr, its result (or Lambda's error
 * payload) as JSON to stdout, as `sam local invoke` does; the exit code is 0 in both cases. The
 * sample product id of events/ is replaced with a seeded product's (events/README.md).
 * Usage mistakes (an unknown function, a missing or malformed event file) exit 1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloudOnFreePorts } from '../cloud/local-cloud.ts';
import { fileLog } from '../cloud/local-cloud-log.ts';
import { LOCAL_CLOUD_DIRECTORY, readState, REPOSITORY_ROOT } from '../cloud/state-file.ts';
import { loadTemplate, resourcesOfType } from '../template/load-template.ts';
import { type InvocationReport, invokeThroughControlEndpoint, InvokeUsageError, parseInvokeArguments, readEventFile, withSeededIds } from './invoke-event.ts';

const TEMPLATE_PATH = join(REPOSITORY_ROOT, 'template.yaml');

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function runningCloud(): Promise<{ controlUrl: string; products: Array<{ productId: string }> } | undefined> {
  const state = await readState();
  if (state === undefined) return undefined;
  const healthy = await fetch(`${state.controlUrl}/__local/health`, { signal: AbortSignal.timeout(2_000) })
    .then((response) => response.ok)
    .catch(() => false);
  return healthy ? state : undefined;
}

/** No cloud running: one just for this invocation, its log in .local-cloud/logs/invoke.log. */
async function invokeInFreshCloud(functionLogicalId: string, eventJson: string): Promise<InvocationReport> {
  const logPath = join(LOCAL_CLOUD_DIRECTORY, 'logs', 'invoke.log');
  console.error(`No local cloud is running (npm start): starting one for this invocation (its log: ${logPath})…`);
  const cognitoDataDirectory = await mkdtemp(join(tmpdir(), 'local-cloud-invoke-'));
  const log = await fileLog(logPath);
  try {
    const cloud = await startLocalCloudOnFreePorts({ templatePath: TEMPLATE_PATH, cognitoDataDirectory, log });
    try {
      const { outcome, logLines } = await cloud.lambda.invokeCapturingLogs(functionLogicalId, withSeededIds(eventJson, cloud.products));
      const { kind, ...result } = outcome;
      return { ...result, logLines };
    } finally {
      await cloud.stop();
    }
  } finally {
    await log.close();
    await rm(cognitoDataDirectory, { recursive: true, force: true });
  }
}

let functionLogicalId: string;
let eventJson: string;
try {
  const parsed = parseInvokeArguments(process.argv.slice(2));
  functionLogicalId = parsed.functionLogicalId;
  eventJson = parsed.eventPath === undefined ? '{}' : await readEventFile(parsed.eventPath);
} catch (error) {
  if (error instanceof InvokeUsageError) fail(error.message);
  throw error;
}

const functions = resourcesOfType((await loadTemplate(TEMPLATE_PATH)).template, 'AWS::Serverless::Function').map(([logicalId]) => logicalId);
if (!functions.includes(functionLogicalId)) fail(`No function ${functionLogicalId} in template.yaml. Functions: ${functions.join(', ')}`);

const running = await runningCloud();
const report =
  running === undefined
    ? await invokeInFreshCloud(functionLogicalId, eventJson)
    : await invokeThroughControlEndpoint(running.controlUrl, functionLogicalId, withSeededIds(eventJson, running.products)).catch((error: unknown) =>
        fail((error as Error).message),
      );

// Like Lambda's log stream: START, the function's lines, END and REPORT.
console.error(`START RequestId: ${report.requestId} Version: $LATEST`);
for (const { line } of report.logLines) console.error(line);
console.error(`END RequestId: ${report.requestId}`);
const init = report.initDurationMs === undefined ? '' : `\tInit Duration: ${report.initDurationMs.toFixed(2)} ms`;
console.error(`REPORT RequestId: ${report.requestId}\tDuration: ${report.durationMs.toFixed(2)} ms${init}`);
console.log(JSON.stringify(report.error ?? report.payload ?? null, null, 2));
