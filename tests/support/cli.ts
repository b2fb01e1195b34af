import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '#local/cloud/state-file.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A `local/src/cli/<name>.ts` command as a user runs it: its own Node process, pointed at a local
 * cloud by its state file (LOCAL_CLOUD_STATE_FILE), never throwing on a non-zero exit.
 */
export function runCli(name: string, args: string[], stateFile: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(REPOSITORY_ROOT, 'local/src/cli', `${name}.ts`), ...args],
      { cwd: REPOSITORY_ROOT, env: { ...process.env, LOCAL_CLOUD_STATE_FILE: stateFile }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}
