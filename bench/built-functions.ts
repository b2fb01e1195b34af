/**
 * The `sam build` artifacts (.aws-sam/build): each function's bundle, the shared layer, their
 * sizes, and the cold module load of each, in a fresh Node 24 process laid out as on Lambda
 * (see docs/decisions.md D2 and bench/module-load.ts, which times packaging alternatives the
 * same way). Used by `npm run bench` and by tests/template/bundle-budgets.test.ts.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './stats.ts';
import { coldImport } from './cold-import.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_DIR = path.join(ROOT, '.aws-sam/build');
const NODE_MODULES = path.join(ROOT, 'node_modules');
const LAYER = 'SharedLayer';

export interface BuiltArtifact {
  /** A function's logical id, or `SharedLayer`. */
  name: string;
  /** The directory sam build wrote. */
  directory: string;
  /** Bytes of JavaScript (.mjs, no source maps): what loads at cold start. */
  codeBytes: number;
  /** Bytes of everything, source maps included: roughly what is uploaded, unzipped. */
  totalBytes: number;
}

function sizes(directory: string): { codeBytes: number; totalBytes: number } {
  let codeBytes = 0;
  let totalBytes = 0;
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = statSync(path.join(entry.parentPath, entry.name)).size;
    totalBytes += bytes;
    if (entry.name.endsWith('.mjs')) codeBytes += bytes;
  }
  return { codeBytes, totalBytes };
}

/** Every built function (a directory with an index.mjs) and the layer, by name. */
export function builtArtifacts(buildDir = BUILD_DIR): BuiltArtifact[] {
  if (!existsSync(buildDir)) throw new Error(`${buildDir} does not exist: run sam build first`);
  return readdirSync(buildDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && (entry.name === LAYER || existsSync(path.join(buildDir, entry.name, 'index.mjs'))))
    .map((entry) => ({ name: entry.name, directory: path.join(buildDir, entry.name), ...sizes(path.join(buildDir, entry.name)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Newest modification time under the given paths (files only), in ms. */
export function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const start of paths) {
    if (!existsSync(start)) continue;
    const stat = statSync(start);
    if (stat.isFile()) {
      newest = Math.max(newest, stat.mtimeMs);
      continue;
    }
    for (const entry of readdirSync(start, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && !entry.parentPath.includes('node_modules')) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** True when .aws-sam/build is missing or older than the template, a handler or the layer's source. */
export function buildIsStale(): boolean {
  const marker = path.join(BUILD_DIR, 'template.yaml');
  if (!existsSync(marker)) return true;
  return newestMtime([path.join(ROOT, 'template.yaml'), path.join(ROOT, 'functions'), path.join(ROOT, 'layers/shared/src'), path.join(ROOT, 'layers/shared/Makefile')]) > statSync(marker).mtimeMs;
}

// ---- what a function loads ---------------------------------------------------------------------------

/** The files a built ES module loads before it runs: itself and its static relative imports, transitively. */
export function staticClosure(file: string): string[] {
  const seen = new Set<string>();
  const visit = (current: string) => {
    if (seen.has(current)) return;
    seen.add(current);
    // Static `import … from"./x.mjs"` and `import"./x.mjs"`; a dynamic `import("./x.mjs")` loads later.
    for (const match of readFileSync(current, 'utf8').matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      if (match[1] !== undefined) visit(path.resolve(path.dirname(current), match[1]));
    }
  };
  visit(file);
  return [...seen];
}

const LAYER_PACKAGE = 'nodejs/node_modules/@orders/shared';

/** The built layer's entry points, from its package.json `exports`: specifier → file. */
export function layerEntryPoints(layerDirectory: string): Map<string, string> {
  const packageDir = path.join(layerDirectory, LAYER_PACKAGE);
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string> };
  return new Map(
    Object.entries(manifest.exports).map(([subpath, target]) => [subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`, path.join(packageDir, target)]),
  );
}

/**
 * Bytes of JavaScript a function loads before its handler runs: its own bundle and every layer
 * file its `@orders/shared*` imports load statically (the entry points and their chunks; the
 * AWS SDK is the runtime's and not counted). Deterministic, unlike a timing: bench/budgets.json
 * holds a budget for it that `npm test` checks (tests/template/bundle-budgets.test.ts).
 */
export function coldLoadBytes(functionDirectory: string, layerDirectory: string): number {
  const entry = path.join(functionDirectory, 'index.mjs');
  const entryPoints = layerEntryPoints(layerDirectory);
  const files = new Set(staticClosure(entry));
  for (const match of readFileSync(entry, 'utf8').matchAll(/(?:\bfrom|\bimport)\s*["'](@orders\/shared[^"']*)["']/g)) {
    const target = match[1] === undefined ? undefined : entryPoints.get(match[1]);
    if (target === undefined) throw new Error(`${entry} imports ${match[1]}, which the layer does not export`);
    for (const file of staticClosure(target)) files.add(file);
  }
  return [...files].reduce((total, file) => total + statSync(file).size, 0);
}

// ---- module load ---------------------------------------------------------------------------------

interface Layout {
  name: string;
  root: string;
}

/**
 * A Lambda-shaped root: var/task (a copy of the function), opt (the layer), the SDK as the
 * runtime's. Copied, not linked, into a directory outside the repository: from a real path
 * inside it, `@orders/shared` would resolve to the workspace's TypeScript source instead.
 */
function layout(work: string, name: string, task: string, layer: string | undefined): Layout {
  const root = path.join(work, name.replace(/[^A-Za-z0-9-]+/g, '-'));
  mkdirSync(path.join(root, 'var/runtime/node_modules/@aws-sdk'), { recursive: true });
  cpSync(task, path.join(root, 'var/task'), { recursive: true });
  if (layer !== undefined) symlinkSync(layer, path.join(root, 'opt'), 'dir');
  for (const sdk of readdirSync(path.join(NODE_MODULES, '@aws-sdk'))) {
    symlinkSync(path.join(NODE_MODULES, '@aws-sdk', sdk), path.join(root, 'var/runtime/node_modules/@aws-sdk', sdk), 'dir');
  }
  return { name, root };
}

function importOnce(target: Layout): { importMs: number; cpuMs: number } {
  return coldImport(target.root, { functionName: target.name, sourceMaps: true });
}

export interface ModuleLoad {
  name: string;
  samples: number;
  /** Wall-clock import time: the measure of record. */
  p50: number;
  p90: number;
  /** CPU time of the import, median (bench/cold-import.ts): the steadier figure on a busy machine. */
  cpuP50: number;
}

/**
 * Cold `await import()` of every built function (with the built layer) and of a baseline module
 * that only imports DynamoDBDocumentClient, `samples` times each, interleaved, after one
 * discarded warm-up round. `work` is a scratch directory (emptied).
 */
export function measureModuleLoad(artifacts: BuiltArtifact[], work: string, samples: number): ModuleLoad[] {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const builtLayer = artifacts.find((artifact) => artifact.name === LAYER)?.directory;
  const layer = builtLayer === undefined ? undefined : path.join(work, 'layer');
  if (builtLayer !== undefined && layer !== undefined) cpSync(builtLayer, layer, { recursive: true });
  const baselineTask = path.join(work, 'baseline-task');
  mkdirSync(baselineTask);
  writeFileSync(
    path.join(baselineTask, 'index.mjs'),
    "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport const handler = async () => typeof DynamoDBDocumentClient;\n",
  );
  const targets = [
    layout(work, 'baseline (DynamoDBDocumentClient only)', baselineTask, undefined),
    ...artifacts.filter((artifact) => artifact.name !== LAYER).map((artifact) => layout(work, artifact.name, artifact.directory, layer)),
  ];
  const times = new Map(targets.map((target) => [target.name, { wall: [] as number[], cpu: [] as number[] }]));
  for (const target of targets) importOnce(target); // warm-up: file cache, not counted
  for (let i = 0; i < samples; i += 1) {
    for (const target of targets) {
      const { importMs, cpuMs } = importOnce(target);
      times.get(target.name)?.wall.push(importMs);
      times.get(target.name)?.cpu.push(cpuMs);
    }
  }
  rmSync(work, { recursive: true, force: true });
  return targets.map((target) => {
    const { wall, cpu } = times.get(target.name) ?? { wall: [], cpu: [] };
    return { name: target.name, samples: wall.length, p50: percentile(wall, 50), p90: percentile(wall, 90), cpuP50: percentile(cpu, 50) };
  });
}

// ---- budgets -------------------------------------------------------------------------------------

export interface ColdLoadBudgets {
  /** Highest cold-module-load p50 ÷ baseline p50 of any function, checked by `npm run bench`. */
  maxRatio: number;
  /** Bytes of JavaScript each function loads at cold start (coldLoadBytes), checked by `npm test`. */
  loadedBytes: Record<string, number>;
}

export const coldLoadBudgets = (): ColdLoadBudgets =>
  (JSON.parse(readFileSync(path.join(ROOT, 'bench/budgets.json'), 'utf8')) as { coldLoad: ColdLoadBudgets }).coldLoad;

/** One line per function whose module-load p50 ÷ baseline p50 is over bench/budgets.json's maxRatio. */
export function moduleLoadOverBudget(moduleLoad: ModuleLoad[], budgets = coldLoadBudgets()): string[] {
  const baseline = moduleLoad.find((entry) => entry.name.startsWith('baseline'));
  if (baseline === undefined) return [];
  return moduleLoad
    .filter((entry) => entry !== baseline && entry.p50 / baseline.p50 > budgets.maxRatio)
    .map((entry) => `${entry.name}: module load p50 ${entry.p50.toFixed(1)} ms is ${(entry.p50 / baseline.p50).toFixed(2)}× the baseline's ${baseline.p50.toFixed(1)} ms, over the budget of ${budgets.maxRatio}× (bench/budgets.json)`);
}
