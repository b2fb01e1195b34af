import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPOSITORY_ROOT } from '#local/cloud/state-file.ts';
import { firstLineOf } from './runner/markdown.ts';
import { minutesOf, pageFormatProblems } from './runner/page-format.ts';
import { listPages, readPage, runStep, shellcheckPage } from './runner/runner.ts';
import { ShellSession } from './runner/shell-session.ts';

/**
 * The workshop (workshop/NN-*.md), page by page in module order, against the local cloud of
 * ./support/global-setup.ts: every page follows the page format and passes shellcheck, and
 * every ```bash step``` runs in the page's shell session with its output checked. A failing
 * step is reported as `workshop/NN-slug.md:<line>` with its command, expected and actual output;
 * the page's later steps are then skipped (they build on it). Pages whose steps are
 * ```bash step aws``` (modules 7–9) run only against a deployed stack (stack mode: TEST_STACK
 * names one, as `npm run test:stack` does); otherwise they are parsed and shell-checked only.
 */
const pages = listPages(REPOSITORY_ROOT);
const stackMode = Boolean(process.env.TEST_STACK) && process.env.TEST_STACK_LOCAL !== '1';
const SHELLCHECK = join(REPOSITORY_ROOT, '.venv', 'bin', 'shellcheck');
/** Modules a newcomer runs on a laptop, without an AWS account. */
const LOCAL_MODULES = 6;

/**
 * The steps' environment: the runner's, pointed at the workshop cloud, without vitest's own
 * variables. TEST_STACK only on pages that need a stack: with it, `npm run env` describes the
 * stack instead of the local cloud.
 */
function stepEnvironment(needsStack: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('VITEST') || name === 'NODE_OPTIONS' || name === 'NODE_V8_COVERAGE' || name === 'TEST') continue;
    if (!needsStack && name === 'TEST_STACK') continue;
    env[name] = value;
  }
  return { ...env, LOCAL_CLOUD_STATE_FILE: inject('workshopStateFile'), NO_COLOR: '1' };
}

describe('the workshop', () => {
  it('has module pages, from module 0', () => {
    expect(pages[0]?.module).toBe(0);
  });

  it(`takes under two hours for modules 0–${LOCAL_MODULES}, by the times the pages state`, () => {
    const minutes = pages.filter((page) => page.module <= LOCAL_MODULES).map((page) => minutesOf(readPage(REPOSITORY_ROOT, page.path)) ?? 0);
    expect(minutes.reduce((sum, value) => sum + value, 0)).toBeLessThan(120);
  });

  it('lists every page in the index (workshop/README.md) with the time it states and whether it needs AWS', () => {
    const index = readPage(REPOSITORY_ROOT, 'workshop/README.md');
    const rows = pages.map((page) => {
      const name = page.path.replace('workshop/', '');
      const row = index.lines.find((line) => line.startsWith('| ') && line.includes(`](${name})`));
      const parsed = readPage(REPOSITORY_ROOT, page.path);
      const expected = `| ${minutesOf(parsed) ?? '?'} min | ${parsed.steps.some((step) => step.aws) ? 'yes' : 'no'} |`;
      return { name, row: row?.endsWith(expected) ? 'as the page says' : (row ?? 'missing'), expected };
    });
    expect(rows.filter((row) => row.row !== 'as the page says')).toEqual([]);
  });
});

for (const file of pages) {
  const page = readPage(REPOSITORY_ROOT, file.path);
  const needsStack = page.steps.some((step) => step.aws);
  const runsSteps = !needsStack || stackMode;

  describe(file.path, () => {
    it('follows the page format', () => {
      expect(pageFormatProblems(page, file.module, REPOSITORY_ROOT)).toEqual([]);
    });

    it('passes shellcheck (every bash block, in order)', async () => {
      expect(await shellcheckPage(page, SHELLCHECK)).toEqual([]);
    });

    if (!runsSteps) return;
    let session: ShellSession;
    let failed: string | undefined;
    beforeAll(async () => {
      session = await ShellSession.open(REPOSITORY_ROOT, stepEnvironment(needsStack));
    });
    afterAll(async () => {
      await session.close();
    });

    for (const step of page.steps) {
      it(
        `${file.path}:${step.line} ${firstLineOf(step.command)}`,
        async (context) => {
          if (failed !== undefined) context.skip(`the step at ${failed} failed, and this one builds on it`);
          const outcome = await runStep(session, page, step);
          if (!outcome.ok) {
            failed = `${file.path}:${step.line}`;
            throw new Error(outcome.report);
          }
        },
        (step.timeoutSeconds + 15) * 1_000,
      );
    }
  });
}
