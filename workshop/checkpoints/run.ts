/**
 * `npm run checkpoint -- <module>`: whether the running local cloud is in the state the
 * workshop module leaves a learner in. Prints `✓ Module N: <summary>` and exits 0, or
 * `✗ Module N: <reason>` (one line) and exits 1. The module's check is `NN.ts` in this
 * directory (registry.ts); what it gets is context.ts's CheckpointContext.
 */
import { pathToFileURL } from 'node:url';
import { readState, STATE_FILE } from '#local/cloud/state-file.ts';
import { type Checkpoint, type CheckpointResult, createCheckpointContext } from './context.ts';
import { checkpointFiles } from './registry.ts';

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

const files = checkpointFiles();
const [argument, ...rest] = process.argv.slice(2);
const known = [...files.keys()].join(', ');
if (argument === undefined || rest.length > 0 || !/^\d{1,2}$/.test(argument)) {
  console.error(`Usage: npm run checkpoint -- <module>   (modules with a checkpoint: ${known})`);
  process.exit(1);
}
const module = Number(argument);
const file = files.get(module);
if (file === undefined) {
  console.error(`No checkpoint for module ${module}: the modules with one are ${known}.`);
  process.exit(1);
}

const result = await check();
console.log(result.ok ? `✓ Module ${module}: ${oneLine(result.summary)}` : `✗ Module ${module}: ${oneLine(result.reason)}`);
process.exit(result.ok ? 0 : 1);

async function check(): Promise<CheckpointResult> {
  const state = await readState();
  if (state === undefined) return { ok: false, reason: `the local cloud is not running (no ${STATE_FILE}). Start it with \`npm start\`.` };
  const reachable = await fetch(`${state.cognitoEndpoint}/health`, { signal: AbortSignal.timeout(2_000) })
    .then((response) => response.ok)
    .catch(() => false);
  if (!reachable) return { ok: false, reason: `the local cloud is not running (nothing answers at ${state.cognitoEndpoint}; ${STATE_FILE} is stale). Start it with \`npm start\`.` };

  const context = createCheckpointContext(state);
  try {
    const { default: checkpoint } = (await import(pathToFileURL(file!).href)) as { default: Checkpoint };
    return await checkpoint(context);
  } catch (error) {
    return { ok: false, reason: `the check itself failed: ${(error as Error).message}` };
  } finally {
    context.close();
  }
}
