import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = path.join(ROOT, 'node_modules', '.bin', 'node');
/** Lambda's ESM resolution through NODE_PATH, shared with the template tests' Lambda-layout check. */
const HOOK = path.join(ROOT, 'tests/template/support/lambda-node-path-hook.mjs');

// argv[1]: the module to time; argv[2..]: specifiers imported first, off the clock.
const PROBE = `
for (const specifier of process.argv.slice(2)) await import(specifier);
const cpu = process.cpuUsage();
const start = performance.now();
await import(process.argv[1]);
const end = performance.now();
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ importMs: end - start, readyMs: end, cpuMs: (used.user + used.system) / 1000 }));
`;

/**
 * Imports `<root>/var/task/index.mjs` once in a fresh Node process laid out as Lambda lays a
 * function out (the layer under `<root>/opt`, the SDK under `<root>/var/runtime`, Lambda's
 * NODE_PATH): a cold module load. `importMs` is the import alone; `readyMs` includes Node's
 * own start-up. `cpuMs` is the CPU time the process spent during the import (all its threads):
 * on a machine shared with other work it moves far less than the wall-clock `importMs`, which
 * includes the time the process waited for a core. `module` times another file instead, and `preload` imports specifiers first,
 * off the clock, so that `importMs` is what the module adds on top of them (the layer
 * breakdown times each package on top of the SDK baseline this way).
 */
export function coldImport(
  root: string,
  options: { functionName: string; sourceMaps: boolean; module?: string; preload?: string[] },
): { importMs: number; readyMs: number; cpuMs: number } {
  const nodePath = ['opt/nodejs/node24/node_modules', 'opt/nodejs/node_modules', 'var/runtime/node_modules', 'var/runtime', 'var/task']
    .map((dir) => path.join(root, dir))
    .join(path.delimiter);
  const result = spawnSync(NODE, ['--import', HOOK, '--input-type=module', '-e', PROBE, options.module ?? path.join(root, 'var/task/index.mjs'), ...(options.preload ?? [])], {
    cwd: path.join(root, 'var/task'),
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: process.env.PATH,
      NODE_PATH: nodePath,
      ...(options.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_LAMBDA_FUNCTION_NAME: options.functionName,
      TABLE_NAME: 'bench',
      POWERTOOLS_SERVICE_NAME: 'orders',
      POWERTOOLS_METRICS_NAMESPACE: 'ServerlessOrders',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_TRACE_ENABLED: 'false',
    },
  });
  if (result.status !== 0) throw new Error(`${options.functionName} failed to load:\n${result.stderr}`);
  return JSON.parse(result.stdout) as { importMs: number; readyMs: number; cpuMs: number };
}
