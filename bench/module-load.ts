/**
 * Cold module load of a handler, packaged three ways, to decide how the shared code ships.
 *
 *   node --import tsx bench/module-load.ts [--samples 20] [--function orders/place-order ...]
 *                                          [--no-source-maps]
 *
 * Per function (functions/<area>/<name>), builds with esbuild:
 *   bundled       everything in the function (no layer), only @aws-sdk/* left to the runtime
 *   layer-bundle  what template.yaml ships: a thin function + the layer as ONE pre-bundled,
 *                 minified ESM file of @orders/shared (built by layers/shared/Makefile itself)
 *   layer-modules a thin function + the layer as a plain node_modules tree: @orders/shared's own
 *                 code compiled (its packages left as imports) plus its dependencies' packages
 * and two references:
 *   sdk-only      a module that only imports DynamoDBDocumentClient from @aws-sdk/lib-dynamodb
 *   empty         a module that imports nothing (Node's own start-up cost, for scale)
 *
 * Each sample is a fresh `node` process (Node 24 from node_modules) laid out as on Lambda
 * (/var/task, /opt, the SDK under /var/runtime/node_modules, Lambda's NODE_PATH, ESM resolved
 * through it by tests/template/support/lambda-node-path-hook.mjs) with NODE_OPTIONS as
 * deployed (--enable-source-maps). It reports the time to `await import()` the handler module
 * (resolve, read, compile, evaluate its module graph, init code included) and the time from
 * process start to that point. Variants are interleaved sample by sample; one warm-up round
 * is discarded. Numbers are for this machine: Lambda at 1024 MB has about 0.6 of a vCPU, so
 * expect larger absolute values there; the ratios are what matter.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { coldImport } from './cold-import.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const NODE = path.join(NODE_MODULES, '.bin', 'node');
const BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

const { values: options } = parseArgs({
  options: {
    samples: { type: 'string', default: '20' },
    function: { type: 'string', multiple: true, default: ['orders/place-order', 'products/get-product'] },
    'no-source-maps': { type: 'boolean', default: false },
  },
});
const SAMPLES = Number(options.samples);
const SOURCE_MAPS = !options['no-source-maps'];

/** The esbuild settings of template.yaml's functions (Metadata.BuildProperties). */
const functionBuild = (entry: string, outfile: string, external: string[]): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: true,
  banner: { js: BANNER },
  external,
  logLevel: 'warning',
});

interface Variant {
  name: string;
  root: string;
  /** Unzipped bytes and file count: function code, layer. */
  size: { task: [number, number]; opt: [number, number] };
}

function du(dir: string): [number, number] {
  if (!existsSync(dir)) return [0, 0];
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      bytes += statSync(path.join(entry.parentPath, entry.name)).size;
      files += 1;
    }
  }
  return [bytes, files];
}

/** /var/runtime/node_modules: the AWS SDK, as the nodejs24.x runtime provides it. */
function addRuntime(root: string): void {
  const sdk = path.join(root, 'var/runtime/node_modules/@aws-sdk');
  mkdirSync(sdk, { recursive: true });
  for (const name of readdirSync(path.join(NODE_MODULES, '@aws-sdk'))) {
    symlinkSync(path.join(NODE_MODULES, '@aws-sdk', name), path.join(sdk, name), 'dir');
  }
}

function variant(name: string, root: string): Variant {
  addRuntime(root);
  return { name, root, size: { task: du(path.join(root, 'var/task')), opt: du(path.join(root, 'opt')) } };
}

/**
 * Copies `packages` and everything they depend on (dependencies, plus peer dependencies that
 * are installed) from the repository's node_modules into `target`, keeping the tree's shape.
 * @aws-sdk/* is skipped: the runtime provides it.
 */
function copyPackageTree(packages: string[], target: string): void {
  const seen = new Set<string>();
  const visit = (name: string, fromDir: string) => {
    if (name.startsWith('@aws-sdk/')) return;
    // Node's lookup: the nearest node_modules/<name> from the requiring package upwards.
    let dir = fromDir;
    let found: string | undefined;
    for (;;) {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) {
        found = candidate;
        break;
      }
      if (dir === ROOT || dir === path.dirname(dir)) break;
      dir = path.dirname(dir);
    }
    if (!found || seen.has(found)) return;
    seen.add(found);
    const destination = path.join(target, path.relative(NODE_MODULES, found));
    cpSync(realpathSync(found), destination, {
      recursive: true,
      dereference: true,
      filter: (source) => !source.slice(realpathSync(found).length).includes(`${path.sep}node_modules`),
    });
    const manifest = JSON.parse(readFileSync(path.join(found, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    const next = { ...manifest.peerDependencies, ...manifest.optionalDependencies, ...manifest.dependencies };
    for (const dependency of Object.keys(next)) visit(dependency, found);
  };
  for (const name of packages) visit(name, ROOT);
}

async function prepare(work: string, fn: string): Promise<Variant[]> {
  const entry = path.join(ROOT, 'functions', fn, 'index.ts');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist`);
  const dir = (name: string) => path.join(work, fn.replace('/', '-'), name);
  const variants: Variant[] = [];

  // (a) Everything in the function.
  await build(functionBuild(entry, path.join(dir('bundled'), 'var/task/index.mjs'), ['@aws-sdk/*']));
  variants.push(variant('bundled', dir('bundled')));

  // (b) Thin function + the layer exactly as `sam build` makes it.
  await build(functionBuild(entry, path.join(dir('layer-bundle'), 'var/task/index.mjs'), ['@aws-sdk/*', '@orders/shared']));
  execFileSync('make', ['-s', '-f', path.join(ROOT, 'layers/shared/Makefile'), 'build-SharedLayer', `ARTIFACTS_DIR=${path.join(dir('layer-bundle'), 'opt')}`], {
    stdio: 'inherit',
    env: { ...process.env, NODE: NODE },
  });
  variants.push(variant('layer-bundle', dir('layer-bundle')));

  // (c) Thin function + the layer as node_modules: own code compiled, packages as installed.
  const modules = path.join(dir('layer-modules'), 'opt/nodejs/node_modules');
  await build(functionBuild(entry, path.join(dir('layer-modules'), 'var/task/index.mjs'), ['@aws-sdk/*', '@orders/shared']));
  await build({
    ...functionBuild(path.join(ROOT, 'layers/shared/src/index.ts'), path.join(modules, '@orders/shared/index.mjs'), []),
    packages: 'external',
  });
  writeFileSync(
    path.join(modules, '@orders/shared/package.json'),
    JSON.stringify({ name: '@orders/shared', type: 'module', exports: { '.': './index.mjs' } }),
  );
  const shared = JSON.parse(readFileSync(path.join(ROOT, 'layers/shared/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  copyPackageTree(Object.keys(shared.dependencies), modules);
  variants.push(variant('layer-modules', dir('layer-modules')));

  return variants;
}

function prepareReferences(work: string): Variant[] {
  const sdk = path.join(work, 'sdk-only');
  mkdirSync(path.join(sdk, 'var/task'), { recursive: true });
  writeFileSync(
    path.join(sdk, 'var/task/index.mjs'),
    "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport const handler = async () => typeof DynamoDBDocumentClient;\n",
  );
  const empty = path.join(work, 'empty');
  mkdirSync(path.join(empty, 'var/task'), { recursive: true });
  writeFileSync(path.join(empty, 'var/task/index.mjs'), 'export const handler = async () => 0;\n');
  return [variant('sdk-only', sdk), variant('empty', empty)];
}

function sample(variant: Variant): { importMs: number; readyMs: number } {
  return coldImport(variant.root, { functionName: 'bench', sourceMaps: SOURCE_MAPS });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (value: number) => value.toFixed(1);
const kb = ([bytes, files]: [number, number]) => (bytes === 0 ? '-' : `${(bytes / 1024).toFixed(0)} KB / ${files}`);

function measure(variants: Variant[]): void {
  const results = new Map(variants.map((v) => [v.name, { importMs: [] as number[], readyMs: [] as number[] }]));
  for (const v of variants) sample(v); // warm-up round: file cache, not counted
  for (let i = 0; i < SAMPLES; i += 1) {
    for (const v of variants) {
      const { importMs, readyMs } = sample(v);
      results.get(v.name)?.importMs.push(importMs);
      results.get(v.name)?.readyMs.push(readyMs);
    }
  }
  console.log('| variant | import median | import p90 | start→ready median | start→ready p90 | function (unzipped / files) | layer (unzipped / files) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const v of variants) {
    const r = results.get(v.name);
    if (!r) continue;
    console.log(
      `| ${v.name} | ${ms(percentile(r.importMs, 50))} ms | ${ms(percentile(r.importMs, 90))} ms | ${ms(percentile(r.readyMs, 50))} ms | ${ms(percentile(r.readyMs, 90))} ms | ${kb(v.size.task)} | ${kb(v.size.opt)} |`,
    );
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'orders-module-load-'));
try {
  const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`Node ${version}, ${SAMPLES} samples per variant, source maps ${SOURCE_MAPS ? 'on (as deployed)' : 'off'}\n`);
  const references = prepareReferences(work);
  for (const fn of options.function) {
    console.log(`### functions/${fn}\n`);
    measure([...(await prepare(work, fn)), ...references]);
    console.log('');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
