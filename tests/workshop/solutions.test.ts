import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudState } from '#local/cloud/state-file.ts';
import { REPOSITORY_ROOT } from '#local/cloud/state-file.ts';

/**
 * Module 5's finished solution (workshop/solutions/05-loyalty), applied to a copy of this
 * repository the way the page tells a learner to (`bash workshop/solutions/apply.sh 05-loyalty`),
 * then proven there: its unit tests and the tables they keep honest, a local cloud started from
 * the copy's template.yaml and code, the solution's HTTP suite against that cloud (a confirmed
 * order really earns points), and `npm run checkpoint -- 5`, the learner's own check. So the
 * solution keeps fitting the repository as it changes, and the checkpoint keeps accepting it.
 *
 * The copy is cheap: the files git knows (tracked, and new ones not ignored), copied; node_modules
 * linked entry by entry, except the workspace packages, which point at the copy's own folders.
 */
const run = promisify(execFile);
const SOLUTION = '05-loyalty';
const UNIT_TESTS = ['layers/shared/src/loyalty', 'layers/shared/src/data-model.test.ts', 'layers/shared/src/events/sample-events.test.ts'];
const HTTP_TESTS = ['tests/http/loyalty.test.ts'];
const PAGE = 'workshop/05-build-a-feature.md';

/** The page's blocks that show code from a file: ` ```ts file=<path> `, with the line of their fence. */
function shownBlocks(page: string[]): Array<{ file: string; line: number; lines: string[] }> {
  const blocks: Array<{ file: string; line: number; lines: string[] }> = [];
  for (let index = 0; index < page.length; index++) {
    const file = /^```\w+ file=(\S+)\s*$/.exec(page[index]!)?.[1];
    if (file === undefined) continue;
    const end = page.indexOf('```', index + 1);
    blocks.push({ file, line: index + 1, lines: page.slice(index + 1, end).filter((line) => line.trim() !== '') });
    index = end;
  }
  return blocks;
}

let copy: string;
let cloud: ChildProcess | undefined;
let state: LocalCloudState;

/** The environment of a command in the copy: this one's, minus what the running vitest set for itself. */
function copyEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS' && name !== 'TEST'));
  return { ...env, LOCAL_CLOUD_STATE_FILE: join(copy, '.local-cloud', 'state.json'), FORCE_COLOR: '0', NO_COLOR: '1', ...extra };
}

async function inCopy(command: string, args: string[], extra: Record<string, string> = {}, timeout = 240_000): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: copy, env: copyEnvironment(extra), timeout, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}${failed.stdout || failed.stderr ? '' : failed.message}` };
  }
}

async function copyRepository(): Promise<string> {
  const target = await mkdtemp(join(tmpdir(), 'workshop-solution-'));
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPOSITORY_ROOT, maxBuffer: 16 * 1024 * 1024 });
  for (const file of stdout.split('\0').filter(Boolean)) {
    const source = join(REPOSITORY_ROOT, file);
    if (!existsSync(source)) continue; // deleted in the work tree, not yet in git
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(source, join(target, file));
  }
  // The venv is a symlink outside git; the Python tools are shared, never written.
  if (existsSync(join(REPOSITORY_ROOT, '.venv'))) symlinkSync(realpathSync(join(REPOSITORY_ROOT, '.venv')), join(target, '.venv'));
  const modules = join(REPOSITORY_ROOT, 'node_modules');
  mkdirSync(join(target, 'node_modules', '@orders'), { recursive: true });
  for (const entry of readdirSync(modules)) {
    if (entry !== '@orders') symlinkSync(join(modules, entry), join(target, 'node_modules', entry));
  }
  // The workspaces (package.json "workspaces"), linked as npm links them: to the copy's folders.
  for (const entry of readdirSync(join(modules, '@orders'))) {
    const workspace = realpathSync(join(modules, '@orders', entry)).slice(realpathSync(REPOSITORY_ROOT).length + 1);
    symlinkSync(join('..', '..', workspace), join(target, 'node_modules', '@orders', entry));
  }
  return target;
}

async function startCloud(): Promise<LocalCloudState> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/workshop/solutions/start-cloud.ts'], { cwd: copy, env: copyEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
  cloud = child;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => output.includes('started ') && resolve());
    child.on('exit', (code) => reject(new Error(`The copy's local cloud exited (${code}) before it started:\n${output}`)));
  });
  return JSON.parse(readFileSync(join(copy, '.local-cloud', 'state.json'), 'utf8')) as LocalCloudState;
}

async function stopCloud(): Promise<void> {
  const child = cloud;
  if (child?.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

describe(`workshop/solutions/${SOLUTION}, applied to a copy of the repository`, () => {
  beforeAll(async () => {
    copy = await copyRepository();
  }, 120_000);

  afterAll(async () => {
    await stopCloud();
    if (copy !== undefined) await rm(copy, { recursive: true, force: true });
  }, 60_000);

  it('applies with the one command page 05 shows', async () => {
    const applied = await inCopy('bash', ['workshop/solutions/apply.sh', SOLUTION]);
    expect(applied.output).toMatch(/^Applied 05-loyalty: \d+ new files/m);
    expect(applied.code).toBe(0);
  }, 60_000);

  it('holds every code block page 05 shows from a file (```ts file=…), line for line, in that order', () => {
    const page = readFileSync(join(REPOSITORY_ROOT, PAGE), 'utf8').split('\n');
    const shown = shownBlocks(page);
    expect(shown.length, `${PAGE} shows no code from a file`).toBeGreaterThan(0);
    for (const block of shown) {
      const file = join(copy, block.file);
      expect(existsSync(file), `${PAGE}:${block.line}: ${block.file} is not in the solution`).toBe(true);
      const source = readFileSync(file, 'utf8').split('\n');
      let at = 0;
      for (const line of block.lines) {
        const found = source.findIndex((candidate, index) => index >= at && candidate === line);
        expect(found, `${PAGE}:${block.line}: "${line.trim()}" is not in ${block.file} (after line ${at})`).toBeGreaterThanOrEqual(0);
        at = found + 1;
      }
    }
  });

  it('passes its unit tests, and the tables of access patterns and sample events hold', async () => {
    const unit = await inCopy('npx', ['vitest', 'run', '--project', 'unit', ...UNIT_TESTS]);
    expect(unit.code, unit.output).toBe(0);
    expect(unit.output).toMatch(/Tests\s+\d+ passed/);
  }, 180_000);

  it('typechecks with the rest of the repository (the main repository leaves workshop/solutions out)', async () => {
    const typecheck = await inCopy('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
    expect(typecheck.code, typecheck.output).toBe(0);
  }, 240_000);

  it('starts a local cloud from the copy, with the consumer, its queues and the route', async () => {
    state = await startCloud();
    expect(Object.keys(state.queues)).toEqual(expect.arrayContaining(['LoyaltyQueue', 'LoyaltyDLQ']));
  }, 180_000);

  it('passes its HTTP suite against that cloud: a confirmed order earns its points, once', async () => {
    expect(state, 'the cloud did not start').toBeDefined();
    const http = await inCopy('npx', ['vitest', 'run', '--project', 'stack', ...HTTP_TESTS], {
      TEST_STACK: state.stackName,
      AWS_REGION: state.region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_CLOUDFORMATION: state.cloudFormationEndpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: state.cognitoEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: state.dynamoDbEndpoint,
      AWS_ENDPOINT_URL_SQS: state.sqsEndpoint,
      AWS_ENDPOINT_URL_SNS: state.snsEndpoint,
      AWS_ENDPOINT_URL_SFN: state.sfnEndpoint,
    });
    expect(http.code, http.output).toBe(0);
    expect(http.output).toMatch(/Tests\s+\d+ passed/);
  }, 240_000);

  it('passes checkpoint 05, the learner’s check', async () => {
    expect(state, 'the cloud did not start').toBeDefined();
    const checkpoint = await inCopy('npm', ['run', '-s', 'checkpoint', '--', '5'], {}, 120_000);
    expect(checkpoint.output.trim()).toMatch(/^✓ Module 5: GET \/loyalty answers, order .* earned \d+ points once/);
    expect(checkpoint.code).toBe(0);
  }, 150_000);
});
