import { fork } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ManagedProcess } from '../core/child-process.ts';
import { waitUntil } from '../core/ports.ts';

export interface RunningCognitoLocal {
  endpoint: string;
  stop(): Promise<void>;
}

const MAIN = new URL('./cognito-local-main.ts', import.meta.url);
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Starts cognito-local on 127.0.0.1:`port` with its data in `dataDirectory`, which is emptied
 * first: every start is a clean user pool. Resolves once `/health` answers.
 */
export async function startCognitoLocal(port: number, dataDirectory: string): Promise<RunningCognitoLocal> {
  await rm(dataDirectory, { recursive: true, force: true });
  await mkdir(dataDirectory, { recursive: true });
  const child = fork(MAIN, [], {
    cwd: dataDirectory,
    // HOST/PORT also make the token issuer http://127.0.0.1:<port>/<pool id>.
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    execArgv: ['--import', TSX_LOADER],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const cognito = new ManagedProcess('cognito-local', child, false);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntil('cognito-local', async () => (await fetch(`${endpoint}/health`)).ok, { abort: () => cognito.failure() });
  } catch (error) {
    await cognito.stop();
    throw error;
  }
  return { endpoint, stop: () => cognito.stop() };
}
