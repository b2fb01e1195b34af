/**
 * Where the layer's cold module load goes: each package the layer bundles, and each entry point
 * of the built layer, timed as what it adds on top of the SDK baseline (a process that has
 * already imported `@aws-sdk/lib-dynamodb`, as every function does).
 *
 *   node --import tsx bench/layer-breakdown.ts [--samples 10]      (after sam build)
 *
 * `npm run bench` runs it after the module-load section. Each package is bundled alone with the
 * layer's esbuild settings (layers/shared/Makefile: minified ESM, `@aws-sdk/*` external), all of
 * its exports kept, so a row is what that package costs inside a layer bundle, dependencies
 * included (the tracer's row includes the X-Ray SDK, which has its own row too). SDK clients the
 * runtime provides are imported as they are. Every sample is a fresh Node process in Lambda's
 * layout (bench/cold-import.ts); targets are interleaved; one warm-up round is discarded.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { BUILD_DIR, layerEntryPoints, ROOT, staticClosure } from './built-functions.ts';
import { coldImport } from './cold-import.ts';
import { percentile } from './stats.ts';

const NODE_MODULES = path.join(ROOT, 'node_modules');
const BASELINE = '@aws-sdk/lib-dynamodb';
const BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * The packages of the layer (and the runtime's SDK clients it loads), each with the subpaths the
 * layer imports; `source` is a module of its own instead (work the layer does when it loads).
 */
export const LAYER_PACKAGES: Array<{ name: string; imports: string[]; source?: string; note: string }> = [
  { name: 'zod, classic API', imports: ['zod'], note: 'what `import { z } from "zod"` loads: the whole library (the layer before D30)' },
  {
    name: "zod/mini, as the layer's schemas use it",
    imports: ['./layers/shared/src/platform/validation.ts', './layers/shared/src/platform/http/api-schemas.ts', './layers/shared/src/events/schemas.ts'],
    note: 'the API and event schemas, the English messages and parseWith (the saga inputs are a few more of the same)',
  },
  { name: '@middy/core', imports: ['@middy/core'], note: 'middleware engine' },
  { name: 'Powertools logger', imports: ['@aws-lambda-powertools/logger', '@aws-lambda-powertools/logger/middleware'], note: 'with Powertools commons' },
  { name: 'Powertools metrics', imports: ['@aws-lambda-powertools/metrics', '@aws-lambda-powertools/metrics/middleware'], note: 'with Powertools commons' },
  { name: 'Powertools tracer', imports: ['@aws-lambda-powertools/tracer', '@aws-lambda-powertools/tracer/middleware'], note: 'with the X-Ray SDK' },
  { name: 'aws-xray-sdk-core', imports: ['aws-xray-sdk-core'], note: 'inside the tracer' },
  { name: 'Powertools batch', imports: ['@aws-lambda-powertools/batch'], note: 'queue and stream consumers' },
  {
    name: 'a DynamoDB document client, created',
    imports: [],
    source:
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport default DynamoDBDocumentClient.from(new DynamoDBClient({}));\n",
    note: 'what platform/clients.ts does at load, beyond the baseline\'s import (no layer code)',
  },
  { name: '@aws-sdk/client-sns', imports: ['@aws-sdk/client-sns'], note: 'the runtime\'s, not in the layer; loaded on first publish' },
  { name: '@aws-sdk/client-sfn', imports: ['@aws-sdk/client-sfn'], note: 'the runtime\'s, not in the layer; loaded on first saga signal' },
];

export interface BreakdownRow {
  name: string;
  note: string;
  /** Minified bytes of the bundle (packages) or of the entry point and the chunks it loads statically (layer). */
  bytes: number;
  samples: number;
  /** Milliseconds the import adds on top of the SDK baseline (wall clock). */
  p50: number;
  p90: number;
  /** CPU milliseconds of the import, median: steadier than the wall clock on a shared machine. */
  cpuP50: number;
}

export interface LayerBreakdown {
  baseline: string;
  packages: BreakdownRow[];
  entryPoints: BreakdownRow[];
}

const bytesOf = (files: string[]) => files.reduce((total, file) => total + statSync(file).size, 0);

async function bundlePackage(imports: string[], outfile: string, source?: string): Promise<void> {
  const contents = source ?? `${imports.map((specifier, i) => `import * as m${i} from '${specifier}';`).join('\n')}\nexport default [${imports.map((_, i) => `m${i}`).join(', ')}];\n`;
  await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js', sourcefile: 'breakdown-entry.mjs' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    banner: { js: BANNER },
    logLevel: 'warning',
  });
}

/**
 * Times every package of LAYER_PACKAGES and every entry point of the built layer (under
 * `buildDir`), `samples` times each, as what each adds to a process that imported the baseline.
 */
export async function measureLayerBreakdown(samples: number, buildDir = BUILD_DIR): Promise<LayerBreakdown> {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-layer-breakdown-'));
  try {
    // Lambda's layout: the layer in /opt, the SDK as the runtime's; the bundles sit in /var/task.
    const root = path.join(work, 'root');
    mkdirSync(path.join(root, 'var/task'), { recursive: true });
    mkdirSync(path.join(root, 'var/runtime/node_modules/@aws-sdk'), { recursive: true });
    for (const sdk of readdirSync(path.join(NODE_MODULES, '@aws-sdk'))) {
      symlinkSync(path.join(NODE_MODULES, '@aws-sdk', sdk), path.join(root, 'var/runtime/node_modules/@aws-sdk', sdk), 'dir');
    }
    const layerDir = path.join(buildDir, 'SharedLayer');
    if (existsSync(layerDir)) cpSync(layerDir, path.join(root, 'opt'), { recursive: true });

    const targets: Array<{ name: string; note: string; module: string; bytes: number }> = [];
    for (const [index, pkg] of LAYER_PACKAGES.entries()) {
      // `@aws-sdk/*` stays external: an SDK row is a one-line module the runtime's copy resolves for.
      const outfile = path.join(root, 'var/task', `package-${index}.mjs`);
      await bundlePackage(pkg.imports, outfile, pkg.source);
      targets.push({ name: pkg.name, note: pkg.note, module: outfile, bytes: statSync(outfile).size });
    }
    const entryPoints = existsSync(path.join(root, 'opt/nodejs')) ? [...layerEntryPoints(path.join(root, 'opt'))] : [];
    for (const [specifier, file] of entryPoints) {
      targets.push({ name: specifier, note: 'built layer entry point, with the chunks it imports', module: file, bytes: bytesOf(staticClosure(file)) });
    }

    const times = new Map(targets.map((target) => [target.module, { wall: [] as number[], cpu: [] as number[] }]));
    const once = (module: string) => coldImport(root, { functionName: 'breakdown', sourceMaps: true, module, preload: [BASELINE] });
    for (const target of targets) once(target.module); // warm-up: file cache, not counted
    for (let i = 0; i < samples; i += 1) {
      for (const target of targets) {
        const { importMs, cpuMs } = once(target.module);
        times.get(target.module)?.wall.push(importMs);
        times.get(target.module)?.cpu.push(cpuMs);
      }
    }
    const row = (target: (typeof targets)[number]): BreakdownRow => {
      const { wall, cpu } = times.get(target.module) ?? { wall: [], cpu: [] };
      return { name: target.name, note: target.note, bytes: target.bytes, samples: wall.length, p50: percentile(wall, 50), p90: percentile(wall, 90), cpuP50: percentile(cpu, 50) };
    };
    const layerCount = entryPoints.length;
    return {
      baseline: BASELINE,
      packages: targets.slice(0, targets.length - layerCount).map(row),
      entryPoints: targets.slice(targets.length - layerCount).map(row),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: '10' } } });
  const { printBreakdown } = await import('./report.ts');
  printBreakdown(await measureLayerBreakdown(Number(values.samples)));
}
