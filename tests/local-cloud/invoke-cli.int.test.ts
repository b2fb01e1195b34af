import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalCloudDescription } from '#local/cloud/description.ts';
import { REPOSITORY_ROOT } from '#local/cloud/state-file.ts';
import { invokeThroughControlEndpoint, readEventFile, withSeededIds } from '#local/cli/invoke-event.ts';
import { runCli } from '../support/cli.ts';

/**
 * `npm run invoke` against the test run's local cloud: every sample in events/ gives the result
 * events/README.md documents for it, through the command's own call to the control endpoint
 * (in process: a Node process per event costs seconds on a busy machine), and the command as a
 * user runs it (a child process) for one event and for each mistake it refuses.
 */
const EVENTS = join(REPOSITORY_ROOT, 'events');

const invoke = (args: string[], stateFile: string) => runCli('invoke', args, stateFile);

interface DocumentedResult {
  event: string;
  functionLogicalId: string;
  result: string;
}

/** The rows of events/README.md's "What each event gives" table. */
async function documentedResults(): Promise<DocumentedResult[]> {
  const readme = await readFile(join(EVENTS, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## What each event gives'));
  return [...section.matchAll(/^\| `([\w-]+\.json)` \| `(\w+)` \| (.+?) \|$/gm)].map(([, event, functionLogicalId, result]) => ({
    event: event!,
    functionLogicalId: functionLogicalId!,
    result: result!,
  }));
}

function expectDocumented(result: string, output: unknown, event: string): void {
  const http = /^HTTP (\d{3})/.exec(result);
  const error = /^error (\w+)/.exec(result);
  const exact = /^`(.+?)`/.exec(result);
  if (http !== null) expect(output, event).toMatchObject({ statusCode: Number(http[1]) });
  else if (error !== null) expect(output, event).toMatchObject({ errorType: error[1] });
  else if (exact !== null) expect(output, event).toEqual(JSON.parse(exact[1]!));
  else throw new Error(`events/README.md: cannot read the result "${result}"`);
}

describe('npm run invoke', () => {
  let directory: string;
  let stateFile: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'invoke-cli-'));
    stateFile = join(directory, 'state.json');
    const description = Object.fromEntries(
      (['apiUrl', 'cognitoEndpoint', 'controlUrl', 'region', 'products', 'password', 'users', 'clientId', 'userPoolId'] as const).map((key) => [key, inject(key)]),
    ) as Partial<LocalCloudDescription>;
    await writeFile(stateFile, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), ...description }));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('documents every sample event but the SNS message (events/README.md)', async () => {
    const documented = (await documentedResults()).map((row) => row.event);
    const files = (await readdir(EVENTS)).filter((file) => file.endsWith('.json'));
    expect([...documented, 'sns-order-placed.json'].sort()).toEqual(files.sort());
  });

  it('gives every sample event the result events/README.md documents, with the log lines of its invocation', async () => {
    for (const row of await documentedResults()) {
      const event = withSeededIds(await readEventFile(join(EVENTS, row.event)), inject('products'));
      const report = await invokeThroughControlEndpoint(inject('controlUrl'), row.functionLogicalId, event);
      expectDocumented(row.result, report.error ?? report.payload, row.event);
      if (row.event === 'get-product.json') {
        // The sample product id became a seeded product's: GetProduct found it.
        expect(JSON.parse((report.payload as { body: string }).body)).toMatchObject({ productId: inject('productIds')[0] });
      }
      if (row.event === 'publish-order-events-status-changed.json') {
        // The function's own log lines, of this invocation only.
        const lines = report.logLines.filter(({ line }) => line.startsWith('{')).map(({ line }) => JSON.parse(line) as Record<string, unknown>);
        expect(lines).toContainEqual(expect.objectContaining({ message: 'Published order event', function_request_id: report.requestId }));
        expect(lines.every((line) => line.function_request_id === undefined || line.function_request_id === report.requestId)).toBe(true);
      }
    }
  }, 120_000);

  it('prints the log lines and the result of an invocation, as sam local invoke does', async () => {
    const run = await invoke(['GetProductFunction', '-e', 'events/get-product.json'], stateFile);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ statusCode: 200 });
    expect(run.stderr).toMatch(/^START RequestId: ([\w-]+) Version: \$LATEST\n(.*\n)*END RequestId: \1\nREPORT RequestId: \1\tDuration: [\d.]+ ms/);
  }, 60_000);

  it('refuses an unknown function, a missing and a malformed event file, with exit code 1', async () => {
    const malformed = join(directory, 'malformed.json');
    await writeFile(malformed, '{"Records": [');
    const unknown = await invoke(['NoSuchFunction', '-e', 'events/list-products.json'], stateFile);
    const missing = await invoke(['ListProductsFunction', '-e', 'events/no-such-event.json'], stateFile);
    const broken = await invoke(['ListProductsFunction', '-e', malformed], stateFile);
    const usage = await invoke([], stateFile);
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('No function NoSuchFunction in template.yaml. Functions: LocalAuthorizerFunction, ListProductsFunction,') });
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'No event file events/no-such-event.json\n' });
    expect(broken).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(new RegExp(`^The event file ${malformed} is not JSON: `)) });
    expect(usage).toMatchObject({ code: 1, stderr: expect.stringContaining('Usage: npm run invoke -- <FunctionLogicalId> [-e events/<file>.json]') });
  }, 120_000);
});
