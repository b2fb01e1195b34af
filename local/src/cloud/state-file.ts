import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalCloudDescription } from './description.ts';

/** The repository root (local/src/cloud → ../../..), where `.local-cloud/` lives. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Everything `npm start` writes at run time; gitignored. */
export const LOCAL_CLOUD_DIRECTORY = join(REPOSITORY_ROOT, '.local-cloud');
/** LOCAL_CLOUD_STATE_FILE points the commands at another cloud's (the invoke test uses it). */
export const STATE_FILE = process.env.LOCAL_CLOUD_STATE_FILE || join(LOCAL_CLOUD_DIRECTORY, 'state.json');

/** What `npm start` tells other commands (`npm run token`) about the running local cloud. */
export interface LocalCloudState extends LocalCloudDescription {
  pid: number;
  startedAt: string;
}

export async function writeState(state: LocalCloudState, path = STATE_FILE): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`);
}

export async function readState(path = STATE_FILE): Promise<LocalCloudState | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LocalCloudState;
  } catch {
    return undefined;
  }
}

/** Removes the state file, but only if it still describes this process's local cloud. */
export async function removeState(pid: number, path = STATE_FILE): Promise<void> {
  const state = await readState(path);
  if (state?.pid === pid) await rm(path, { force: true });
}
