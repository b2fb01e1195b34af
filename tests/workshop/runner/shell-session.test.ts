import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../support/wait.ts';
import { ShellSession } from './shell-session.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('ShellSession', () => {
  let root: string;
  let session: ShellSession;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'shell-session-test-'));
    session = await ShellSession.open(root, { PATH: process.env.PATH, HOME: root, INHERITED: 'from the runner' });
  });
  afterEach(async () => {
    await session.close();
    await rm(root, { recursive: true, force: true });
  });

  it('carries variables, exports, arrays, functions and the working directory from one step to the next', async () => {
    await session.run('mkdir sub && cd sub\nplain="two words"\nexport EXPORTED=yes\nlist=(a "b c")\ngreet() { echo "hi $1"; }', 10);
    const next = await session.run('pwd; echo "$plain|$EXPORTED|${list[1]}|$INHERITED"; greet you; bash -c \'echo "child sees $EXPORTED and ${plain:-no plain}"\'', 10);
    expect(next).toMatchObject({ exitCode: 0, timedOut: false });
    expect(next.stdout).toBe(`${join(root, 'sub')}\ntwo words|yes|b c|from the runner\nhi you\nchild sees yes and no plain\n`);
  });

  it('keeps what a failing step set before it failed, and starts the first step in the given directory', async () => {
    expect((await session.run('pwd', 10)).stdout).toBe(`${root}\n`);
    expect((await session.run('BEFORE=1\nfalse\nAFTER=1', 10)).exitCode).toBe(1);
    expect((await session.run('echo "${BEFORE:-unset} ${AFTER:-unset}"', 10)).stdout).toBe('1 unset\n');
  });

  it('runs with -e and pipefail, and reports the exit status of exit N', async () => {
    expect(await session.run('false | true\necho not reached', 10)).toMatchObject({ exitCode: 1, stdout: '' });
    expect(await session.run('echo out; echo err >&2; exit 3', 10)).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('kills a step at its time limit, with what it started, and the session goes on', async () => {
    const run = await session.run('echo started; sleep 30 & sleep 30', 1);
    expect(run).toMatchObject({ exitCode: null, timedOut: true, stdout: 'started\n' });
    expect(run.durationMs).toBeLessThan(10_000);
    expect(await session.run('echo alive', 10)).toMatchObject({ exitCode: 0, stdout: 'alive\n' });
  });

  it('does not wait for a background process that keeps the output open, and ends it when the session closes', async () => {
    const run = await session.run('(sleep 20 & echo $! > background.pid) ; echo done', 10);
    expect(run).toMatchObject({ exitCode: 0, stdout: 'done\n', timedOut: false });
    expect(run.durationMs).toBeLessThan(5_000);
    const pid = Number(await readFile(join(root, 'background.pid'), 'utf8'));
    expect(isAlive(pid)).toBe(true);
    await session.close();
    await waitFor(() => !isAlive(pid), { timeoutMs: 5_000, description: 'the background sleep to end' });
  });
});
