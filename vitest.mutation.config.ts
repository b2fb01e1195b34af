import { resolve } from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import layerPackage from './layers/shared/package.json' with { type: 'json' };
import base from './vitest.config.ts';

// What Stryker runs against each mutant (stryker.config.json): the `unit` project of
// vitest.config.ts, flattened to a plain config because the Stryker vitest runner has no
// option to pick a project. Integration tests need a running local cloud, so they are not
// part of mutation testing; coverage is off (Stryker measures its own, per test).
const unit = base.test?.projects?.find(
  (project): project is TestProjectInlineConfiguration =>
    typeof project === 'object' && 'test' in project && project.test?.name === 'unit',
);
if (!unit?.test) throw new Error('vitest.config.ts has no `unit` project');

// Stryker runs the tests in a copy of the project whose node_modules is a link to the real one,
// where the workspace link `@orders/shared` points at the real, unmutated layer. The handlers'
// tests must import the copy's layer instead, or they could never kill a mutant in it: each of
// the layer's exports is aliased to its file in this directory.
const layerEntries = Object.entries(layerPackage.exports).map(([subpath, file]) => ({
  find: new RegExp(`^${layerPackage.name}${subpath.slice(1)}$`),
  replacement: resolve(import.meta.dirname, 'layers/shared', file),
}));

export default defineConfig({
  resolve: {
    alias: layerEntries,
  },
  test: {
    env: base.test?.env,
    include: unit.test.include,
    exclude: unit.test.exclude,
    coverage: { enabled: false },
  },
});
