import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutput } from './matchers.ts';
import { parsePage, type Step, type WorkshopPage } from './markdown.ts';
import type { ShellSession, StepRun } from './shell-session.ts';

/** workshop/NN-slug.md: a module's page. */
export const PAGE_NAME = /^(\d\d)-[a-z0-9-]+\.md$/;

export interface PageFile {
  /** Relative to the repository root, e.g. `workshop/01-api.md`. */
  path: string;
  module: number;
}

/** The module pages of `workshop/`, in module order. */
export function listPages(root: string, directory = 'workshop'): PageFile[] {
  return readdirSync(join(root, directory))
    .filter((name) => PAGE_NAME.test(name))
    .sort()
    .map((name) => ({ path: `${directory}/${name}`, module: Number(PAGE_NAME.exec(name)![1]) }));
}

export function readPage(root: string, path: string): WorkshopPage {
  return parsePage(path, readFileSync(join(root, path), 'utf8'));
}

export type StepOutcome = { ok: true; run: StepRun } | { ok: false; run: StepRun; report: string };

/** Runs one step in the page's session and checks its exit status and output. */
export async function runStep(session: ShellSession, page: WorkshopPage, step: Step): Promise<StepOutcome> {
  const run = await session.run(step.command, step.timeoutSeconds);
  const problem = judge(step, run);
  return problem === undefined ? { ok: true, run } : { ok: false, run, report: failureReport(page, step, run, problem) };
}

function judge(step: Step, run: StepRun): string | undefined {
  if (run.timedOut) return `the step did not finish within ${step.timeoutSeconds} s (a longer limit: \`\`\`bash step timeout=S)`;
  if (run.exitCode !== step.exit) return `the step exited with ${run.exitCode}, expected ${step.exit}`;
  if (step.expected === undefined) return undefined;
  const check = checkOutput(step.expected, run.stdout);
  return check.ok ? undefined : check.reason;
}

/** What a failing step reports: `file:line`, why, the command, the expected and the actual output. */
export function failureReport(page: WorkshopPage, step: Step, run: StepRun, problem: string): string {
  const block = (text: string) => (text.trimEnd() === '' ? '    (nothing)' : text.trimEnd().split('\n').map((line) => `    ${line}`).join('\n'));
  const stderrTail = run.stderr.trimEnd().split('\n').slice(-20).join('\n');
  return [
    `${page.path}:${step.line}: ${problem}`,
    '  command:',
    block(step.command),
    ...(step.expected === undefined ? [] : [`  expected (${step.expected.kind} output, line ${step.expected.line}):`, block(step.expected.body)]),
    `  actual stdout (exit ${run.exitCode ?? 'none: killed'}, ${run.durationMs} ms):`,
    block(run.stdout),
    ...(stderrTail === '' ? [] : ['  stderr (last 20 lines):', block(stderrTail)]),
  ].join('\n');
}

interface ShellcheckComment {
  line: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

/**
 * Every bash block of the page (steps and shown blocks, in order) as one script through
 * shellcheck (severity info and up), each finding as `file:line: SCnnnn (level): message` at
 * the page line it comes from. A finding a page means to keep is silenced where it occurs, with
 * a `# shellcheck disable=SCnnnn` line in the block.
 */
export async function shellcheckPage(page: WorkshopPage, shellcheck: string): Promise<string[]> {
  const script: string[] = ['#!/usr/bin/env bash'];
  const pageLine: number[] = [0];
  for (const block of page.shellBlocks) {
    block.code.split('\n').forEach((line, index) => {
      script.push(line);
      pageLine.push(block.line + 1 + index);
    });
  }
  const { comments } = JSON.parse(await runWithInput(shellcheck, script.join('\n'))) as { comments: ShellcheckComment[] };
  return comments.map((comment) => `${page.path}:${pageLine[comment.line - 1] ?? '?'}: SC${comment.code} (${comment.level}): ${comment.message}`);
}

function runWithInput(command: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, ['--shell=bash', '--severity=info', '--format=json1', '-'], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      // Exit 1 means findings; anything else (no shellcheck, a crash) is the runner's problem.
      if (error && error.code !== 1) reject(new Error(`shellcheck failed: ${error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}
