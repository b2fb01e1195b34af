import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltArtifact, builtArtifacts, coldLoadBytes } from '../../bench/built-functions.ts';
import { ROOT, loadTemplate, resourcesOfType, run, venvTool } from './support/tools.ts';

// Size budgets for what `sam build` produces (bench/budgets.json): bytes of JavaScript per
// function and for the shared layer, source maps excluded. A function over budget has usually
// bundled shared code or a dependency that belongs in the layer (docs/decisions.md D1).
// Speed and memory are measured by `npm run bench` (docs/performance.md), not asserted here.

interface Budgets {
  functions: Record<string, number>;
  layers: Record<string, number>;
  coldLoad: { loadedBytes: Record<string, number> };
}

const budgets = JSON.parse(readFileSync(path.join(ROOT, 'bench/budgets.json'), 'utf8')) as Budgets;
const template = loadTemplate();
const functionIds = resourcesOfType(template, 'AWS::Serverless::Function').map(([logicalId]) => logicalId);
const layerIds = resourcesOfType(template, 'AWS::Serverless::LayerVersion').map(([logicalId]) => logicalId);

let scratch: string;
let buildDir: string;
let artifacts: Map<string, BuiltArtifact>;

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'orders-bundle-budgets-'));
  buildDir = path.join(scratch, 'build');
  const result = run(venvTool('sam'), ['build', '--build-dir', buildDir, '--cache-dir', path.join(scratch, 'cache')]);
  if (result.status !== 0) throw new Error(`sam build failed:\n${result.output}`);
  artifacts = new Map(builtArtifacts(buildDir).map((artifact) => [artifact.name, artifact]));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB (${bytes} B)`;

describe('bundle size budgets (bench/budgets.json)', () => {
  it('has a budget for every function and layer of the template, and none for anything else', () => {
    expect(Object.keys(budgets.functions).sort()).toEqual([...functionIds].sort());
    expect(Object.keys(budgets.layers).sort()).toEqual([...layerIds].sort());
  });

  it.each([...functionIds.map((id) => ['function', id] as const), ...layerIds.map((id) => ['layer', id] as const)])(
    '%s %s stays within its budget',
    (kind, logicalId) => {
      const artifact = artifacts.get(logicalId);
      expect(artifact, `sam build produced no ${logicalId}`).toBeDefined();
      const budget = (kind === 'function' ? budgets.functions : budgets.layers)[logicalId] ?? 0;
      const size = artifact?.codeBytes ?? 0;
      expect(
        size,
        `${logicalId}: built JavaScript is ${kib(size)}, over its budget of ${kib(budget)} in bench/budgets.json`,
      ).toBeLessThanOrEqual(budget);
    },
  );
});

// What each function loads at cold start: its bundle and the layer files its imports load (the
// entry points and their chunks). A function over budget loads shared code it does not run, or a
// dependency crept into a chunk every function loads (docs/decisions.md D1, D27).
describe('cold-load budgets (bench/budgets.json coldLoad.loadedBytes)', () => {
  it('has a budget for every function of the template, and none for anything else', () => {
    expect(Object.keys(budgets.coldLoad.loadedBytes).sort()).toEqual([...functionIds].sort());
  });

  it.each(functionIds)('%s loads no more JavaScript at cold start than its budget', (logicalId) => {
    const budget = budgets.coldLoad.loadedBytes[logicalId] ?? 0;
    const loaded = coldLoadBytes(path.join(buildDir, logicalId), path.join(buildDir, 'SharedLayer'));
    expect(loaded, `${logicalId}: loads ${kib(loaded)} of JavaScript at cold start, over its budget of ${kib(budget)} in bench/budgets.json`).toBeLessThanOrEqual(budget);
  });
});
