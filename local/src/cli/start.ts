/**
 * `npm start`: the whole system on this machine, from template.yaml.
 *
 * Ports: PORT (API, default 3000), LOCAL_DYNAMODB_PORT (8700), LOCAL_COGNITO_PORT (9700).
 */
import { join } from 'node:path';
import { type LocalCloud, startLocalCloud } from '../cloud/local-cloud.ts';
import { watchFunctionCode } from '../cloud/code-watcher.ts';
import { consoleLog } from '../cloud/local-cloud-log.ts';
import { LOCAL_CLOUD_DIRECTORY, REPOSITORY_ROOT, removeState, writeState } from '../cloud/state-file.ts';
import { PortInUseError } from '../services/ports.ts';
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
};
const log = consoleLog();

const starting = startLocalCloud({
  templatePath: join(REPOSITORY_ROOT, 'template.yaml'),
  ports,
  cognitoDataDirectory: join(LOCAL_CLOUD_DIRECTORY, `cognito-${ports.cognito}`),
  log,
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
  console.error(error instanceof PortInUseError ? error.message : `The local cloud did not start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
}

await writeState({
  pid: process.pid,
  startedAt: new Date().toISOString(),
  apiUrl: cloud.apiUrl,
  dynamoDbEndpoint: cloud.dynamoDbEndpoint,
  cognitoEndpoint: cloud.cognitoEndpoint,
  region: cloud.region,
  userPoolId: cloud.userPoolId,
  clientId: cloud.clientId,
  tableNames: Object.fromEntries(cloud.tables.map((table) => [table.logicalId, table.tableName])),
  users: cloud.users.map((user) => user.email),
  password: cloud.password,
});
console.log(banner(cloud));

watchFunctionCode(cloud.template, cloud.lambda, (file) => {
  log.info(`${file} changed: the next requests start fresh Lambda environments`);
});
