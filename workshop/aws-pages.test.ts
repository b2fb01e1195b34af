import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPage, runStep } from '../tests/workshop/runner/runner.ts';
import { ShellSession } from '../tests/workshop/runner/shell-session.ts';

// Modules 7–9 need an AWS account, so `npm test` cannot run them for real (stack mode does,
// tests/workshop/pages.test.ts). This runs their steps in order, as the runner would, against
// scripted `aws`, `sam`, `curl` and `npm` (./fake-aws: each prints what the page's command
// prints in AWS, and nothing calls AWS). What it checks is the pages' own logic: the shell of
// every step runs (variables and functions carried between steps, the release loops end, the
// patches apply and revert), and every expected output block fits what its step prints.
// It runs in a scratch git repository holding the files the steps read, never in this one.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FAKE_AWS = join(ROOT, 'workshop', 'fake-aws');
const PAGES = ['workshop/07-deploy.md', 'workshop/08-release-safely.md', 'workshop/09-clean-up.md'];
const FILES_THE_STEPS_READ = ['template.yaml', 'functions/products/get-product/index.ts', 'workshop/releases/bad-release.patch', 'workshop/releases/good-release.patch'];

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'workshop-aws-pages-'));
  for (const file of FILES_THE_STEPS_READ) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    cpSync(join(ROOT, file), join(scratch, file));
  }
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=workshop', '-c', 'user.email=workshop@example.com', ...args], { cwd: scratch });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'the files the steps of modules 7-9 read');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(PAGES)('%s against a scripted AWS', (path) => {
  it('runs every step with its expected output, and leaves the repository as it found it', async () => {
    const page = readPage(ROOT, path);
    const session = await ShellSession.open(scratch, { ...process.env, PATH: `${FAKE_AWS}:${process.env.PATH}`, NO_COLOR: '1' });
    try {
      const failures: string[] = [];
      for (const step of page.steps) {
        const outcome = await runStep(session, page, step);
        if (!outcome.ok) {
          failures.push(outcome.report);
          break;
        }
      }
      expect(failures).toEqual([]);
    } finally {
      await session.close();
    }
    expect(execFileSync('git', ['status', '--short'], { cwd: scratch, encoding: 'utf8' })).toBe('');
  }, 180_000);
});
