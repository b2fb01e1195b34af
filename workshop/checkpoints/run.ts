/**
 * `npm run checkpoint -- <module> [--stack <name>]`: whether the learner's system is in the
 * state the workshop module leaves it in. Prints `✓ Module N: <summary>` and exits 0, or
 * `✗ Module N: <reason>` (one line) and exits 1. The module's check is `NN.ts` in this
 * directory (registry.ts); what it gets is context.ts's CheckpointContext, for the running
 * local cloud. A check that looks at a deployed stack instead (modules 7–9) needs no local
 * cloud; `--stack <name>` sets TEST_STACK, the stack it looks at, for this run.
 */
import { pathToFileURL } from 'node:url';
import { readState, STATE_FILE } from '#local/cloud/state-file.ts';
import { type Checkpoint, type CheckpointContext, type CheckpointResult, createCheckpointContext, LocalCloudUnavailable, unavailableContext } from './context.ts';
import { checkpointFiles } from './registry.ts';

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

const files = checkpointFiles();
const known = [...files.keys()].join(', ');
const usage = `Usage: npm run checkpoint -- <module> [--stack <name>]   (modules with a checkpoint: ${known})`;
const args = process.argv.slice(2);
const stackIndex = args.indexOf('--stack');
if (stackIndex >= 0) {
  const stack = args[stackIndex + 1];
  if (stack === undefined || stack.startsWith('-')) usageError();
  process.env.TEST_STACK = stack;
  args.splice(stackIndex, 2);
}
const [argument, ...rest] = args;
if (argument === undefined || rest.length > 0 || !/^\d{1,2}$/.test(argument)) usageError();
const moduleNumber = Number(argument);
const file = files.get(moduleNumber);
if (file === undefined) {
  console.error(`No checkpoint for module ${moduleNumber}: the modules with one are ${known}.`);
  process.exit(1);
}

const result = await check(file);
console.log(result.ok ? `✓ Module ${moduleNumber}: ${oneLine(result.summary)}` : `✗ Module ${moduleNumber}: ${oneLine(result.reason)}`);
process.exit(result.ok ? 0 : 1);

function usageError(): never {
  console.error(usage);
  process.exit(1);
}

async function check(checkpointFile: string): Promise<CheckpointResult> {
  const { context, close } = await localCloudContext();
  try {
    const { default: checkpoint } = (await import(pathToFileURL(checkpointFile).href)) as { default: Checkpoint };
    return await checkpoint(context);
  } catch (error) {
    if (error instanceof LocalCloudUnavailable) return { ok: false, reason: error.message };
    return { ok: false, reason: `the check itself failed: ${(error as Error).message}` };
  } finally {
    close();
  }
}

/** The running local cloud's context, or one that says why there is none when a check reaches for it. */
async function localCloudContext(): Promise<{ context: CheckpointContext; close(): void }> {
  const state = await readState();
  if (state === undefined) return { context: unavailableContext(`the local cloud is not running (no ${STATE_FILE}). Start it with \`npm start\`.`), close() {} };
  const reachable = await fetch(`${state.cognitoEndpoint}/health`, { signal: AbortSignal.timeout(2_000) })
    .then((response) => response.ok)
    .catch(() => false);
  if (!reachable) {
    return { context: unavailableContext(`the local cloud is not running (nothing answers at ${state.cognitoEndpoint}; ${STATE_FILE} is stale). Start it with \`npm start\`.`), close() {} };
  }
  const context = createCheckpointContext(state);
  return { context, close: () => context.close() };
}
