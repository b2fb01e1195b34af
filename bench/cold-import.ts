import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = path.join(ROOT, 'node_modules', '.bin', 'node');
/** Lambda's ESM resolution through NODE_PATH, shared with the template tests' Lambda-layout check. */
const HOOK = path.join(ROOT, 'tests/template/support/lambda-node-path-hook.mjs');

const PROBE = `
const start = performance.now();
await import(process.argv[1]);
const end = performance.now();
process.stdout.write(JSON.stringify({ importMs: end - start, readyMs: end }));
`;

/**
 * Imports `<root>/var/task/index.mjs` once in a fresh Node process laid out as Lambda lays a
 * function out (the layer under `<root>/opt`, the SDK under `<root>/var/runtime`, Lambda's
 * NODE_PATH): a cold module load. `importMs` is the import alone; `readyMs` includes Node's
 * own start-up.
 */
export function coldImport(
  root: string,
  options: { functionName: string; sourceMaps: boolean },
): { importMs: number; readyMs: number } {
  const nodePath = ['opt/nodejs/node24/node_modules', 'opt/nodejs/node_modules', 'var/runtime/node_modules', 'var/runtime', 'var/task']
    .map((dir) => path.join(root, dir))
    .join(path.delimiter);
  const result = spawnSync(NODE, ['--import', HOOK, '--input-type=module', '-e', PROBE, path.join(root, 'var/task/index.mjs')], {
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
  return JSON.parse(result.stdout) as { importMs: number; readyMs: number };
}
