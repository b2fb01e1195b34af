/**
 * `npm start`: the whole system on this machine, from template.yaml.
 *
 * Ports: PORT (API, default 3000), LOCAL_DYNAMODB_PORT (8700), LOCAL_COGNITO_PORT (9700),
 * LOCAL_SQS_PORT (8710), LOCAL_SNS_PORT (8720), LOCAL_CONTROL_PORT (8730), LOCAL_SFN_PORT (8740),
 * LOCAL_WEB_PORT (8750, the web app, built first when web/dist is missing or stale).
 * LOCAL_CLOUD_TIME_SCALE (0 < s ≤ 1, default 1) makes queue time, state machine waits, retry
 * intervals and task timeouts run 1/s times faster.
 */
import { join } from 'node:path';
import { type LocalCloud, startLocalCloud } from '../cloud/local-cloud.ts';
import { watchFunctionCode } from '../cloud/code-watcher.ts';
import { consoleLog } from '../cloud/local-cloud-log.ts';
import { describeLocalCloud } from '../cloud/description.ts';
import { LOCAL_CLOUD_DIRECTORY, REPOSITORY_ROOT, removeState, writeState } from '../cloud/state-file.ts';
import { InvalidTimeScaleError, parseTimeScale } from '../core/time-scale.ts';
import { PortInUseError } from '../core/ports.ts';
import { TemplateError } from '../template/template-types.ts';
import { banner } from './banner.ts';

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    console.error(`${name}=${value} is not a port number`);
    process.exit(1);
  }
  return port;
}

const ports = {
  api: portFromEnv('PORT', 3000),
  dynamoDb: portFromEnv('LOCAL_DYNAMODB_PORT', 8700),
  cognito: portFromEnv('LOCAL_COGNITO_PORT', 9700),
  sqs: portFromEnv('LOCAL_SQS_PORT', 8710),
  sns: portFromEnv('LOCAL_SNS_PORT', 8720),
  control: portFromEnv('LOCAL_CONTROL_PORT', 8730),
  sfn: portFromEnv('LOCAL_SFN_PORT', 8740),
  web: portFromEnv('LOCAL_WEB_PORT', 8750),
};
let timeScale: number;
try {
  timeScale = parseTimeScale(process.env.LOCAL_CLOUD_TIME_SCALE);
} catch (error) {
  console.error(error instanceof InvalidTimeScaleError ? error.message : String(error));
  process.exit(1);
}
const log = consoleLog();

const starting = startLocalCloud({
  templatePath: join(REPOSITORY_ROOT, 'template.yaml'),
  ports,
  cognitoDataDirectory: join(LOCAL_CLOUD_DIRECTORY, `cognito-${ports.cognito}`),
  web: { root: join(REPOSITORY_ROOT, 'web'), extraInputs: [join(REPOSITORY_ROOT, 'docs', 'openapi.json')] },
  log,
  timeScale,
  // One file per running cloud (its API port): `npm run trail` reads it.
  functionLogFile: join(LOCAL_CLOUD_DIRECTORY, 'logs', `functions-${ports.api}.jsonl`),
});

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    // A second Ctrl-C: stop waiting. Child processes are still killed on exit.
    process.exit(130);
  }
  stopping = true;
  log.info(`\n${signal}: stopping the local cloud…`);
  const cloud = await starting.catch(() => undefined);
  await cloud?.stop();
  await removeState(process.pid);
  process.exit(0);
}
process.on('SIGINT', (signal) => void shutdown(signal));
process.on('SIGTERM', (signal) => void shutdown(signal));

let cloud: LocalCloud;
try {
  cloud = await starting;
} catch (error) {
  if (stopping) await new Promise(() => {}); // shutdown() exits.
  if (error instanceof PortInUseError) console.error(error.message);
  // A template problem names the resource and the reason; a stack trace would only hide it.
  else if (error instanceof TemplateError) console.error(`The local cloud did not start: template.yaml: ${error.message}`);
  else console.error(`The local cloud did not start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
}

await writeState({ pid: process.pid, startedAt: new Date().toISOString(), ...describeLocalCloud(cloud) });
console.log(banner(cloud));

watchFunctionCode(cloud.template, cloud.lambda, (file) => {
  log.info(`${file} changed: the next requests start fresh Lambda environments`);
});
