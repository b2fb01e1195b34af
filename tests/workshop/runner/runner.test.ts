import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '#local/cloud/state-file.ts';
import { parsePage } from './markdown.ts';
import { failureReport, listPages, runStep, shellcheckPage } from './runner.ts';
import { ShellSession } from './shell-session.ts';

const SHELLCHECK = join(REPOSITORY_ROOT, '.venv', 'bin', 'shellcheck');

const PAGE = [
  '# Module 9: A page', //      1
  '',
  '```bash step', //            3
  'COUNT=2',
  '```',
  '',
  '```bash step', //            7
  'echo "count: $COUNT"',
  '```',
  '',
  '```text output', //          11
  'count: 3',
  '```',
  '',
  '```bash step exit=4', //     15
  'echo \'{"status": "PENDING", "id": "x"}\'; exit 4',
  '```',
  '',
  '```json output',
  '{"status": "..."}',
  '```',
  '',
  '```bash step', //            23
  'echo fine; exit 4',
  '```',
].join('\n');

describe('runStep', () => {
  let root: string;
  let session: ShellSession;
  const page = parsePage('workshop/09-a-page.md', PAGE);
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'runner-test-'));
    session = await ShellSession.open(root, { PATH: process.env.PATH });
  });
  afterEach(async () => {
    await session.close();
    await rm(root, { recursive: true, force: true });
  });

  it('fails a step whose output differs, naming file:line, the command, the expected and the actual output', async () => {
    expect((await runStep(session, page, page.steps[0]!)).ok).toBe(true);
    const outcome = await runStep(session, page, page.steps[1]!);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.report).toBe(
      [
        'workshop/09-a-page.md:7: stdout differs from the text output block',
        '  command:',
        '    echo "count: $COUNT"',
        '  expected (text output, line 11):',
        '    count: 3',
        `  actual stdout (exit 0, ${outcome.run.durationMs} ms):`,
        '    count: 2',
      ].join('\n'),
    );
  });

  it('passes a step that exits as its exit=N says with matching output, and fails one that exits otherwise', async () => {
    expect((await runStep(session, page, page.steps[2]!)).ok).toBe(true);
    const outcome = await runStep(session, page, page.steps[3]!);
    expect(!outcome.ok && outcome.report.split('\n')[0]).toBe('workshop/09-a-page.md:23: the step exited with 4, expected 0');
  });

  it('fails a step at its time limit, and shows the end of its stderr', async () => {
    const slow = parsePage('workshop/09-slow.md', '```bash step timeout=1\necho waiting >&2; sleep 20\n```');
    const outcome = await runStep(session, slow, slow.steps[0]!);
    expect(!outcome.ok && outcome.report).toMatch(
      /^workshop\/09-slow\.md:1: the step did not finish within 1 s[^\n]*\n {2}command:\n {4}echo waiting >&2; sleep 20\n {2}actual stdout \(exit none: killed, \d+ ms\):\n {4}\(nothing\)\n {2}stderr \(last 20 lines\):\n {4}waiting$/,
    );
  });
});

describe('failureReport', () => {
  it('shows a JSON mismatch with the path that differs', () => {
    const page = parsePage('workshop/09-x.md', '```bash step\nx\n```\n```json output\n{"a": 1}\n```');
    const report = failureReport(page, page.steps[0]!, { exitCode: 0, stdout: '{"a": 2}\n', stderr: '', timedOut: false, durationMs: 5 }, '$.a: expected 1, got 2');
    expect(report).toBe('workshop/09-x.md:1: $.a: expected 1, got 2\n  command:\n    x\n  expected (json output, line 4):\n    {"a": 1}\n  actual stdout (exit 0, 5 ms):\n    {"a": 2}');
  });
});

describe('shellcheckPage', () => {
  it('checks every bash block of the page in order, each finding at its page line', async () => {
    const page = parsePage(
      'workshop/09-x.md',
      ['# Module 9: X', '', '```bash', 'npm start', '```', '', 'Text.', '', '```bash step', 'ID=$(date)', 'echo $ID', '```', '```text', 'echo $NOT_BASH', '```'].join('\n'),
    );
    expect(await shellcheckPage(page, SHELLCHECK)).toEqual(['workshop/09-x.md:11: SC2086 (info): Double quote to prevent globbing and word splitting.']);
  });

  it('reads variables set in one block where a later block uses them', async () => {
    const page = parsePage('workshop/09-x.md', '```bash step\nORDER="a b"\n```\n\n```bash step\necho "$ORDER"\n```');
    expect(await shellcheckPage(page, SHELLCHECK)).toEqual([]);
  });
});

describe('listPages', () => {
  it('lists workshop/NN-slug.md pages in module order, nothing else', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pages-test-'));
    await mkdir(join(root, 'workshop'));
    for (const name of ['01-api.md', '00-set-up.md', 'README.md', '10-extra.txt', '1-short.md']) await writeFile(join(root, 'workshop', name), '');
    try {
      expect(listPages(root)).toEqual([
        { path: 'workshop/00-set-up.md', module: 0 },
        { path: 'workshop/01-api.md', module: 1 },
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
