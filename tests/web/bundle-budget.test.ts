/**
 * The web app's initial JavaScript stays within 150 KB gzipped (issue 11): a production build
 * of web/ (into a temporary directory), then the gzipped size of every script index.html loads
 * and every chunk those import statically, i.e. what arrives before the first page shows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WEB_ROOT = fileURLToPath(new URL('../../web', import.meta.url));
const BUDGET_BYTES = 150 * 1024;

let outDir: string;
let chunks: Map<string, Rolldown.OutputChunk>;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'web-budget-'));
  const output = await build({
    configFile: path.join(WEB_ROOT, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  const results = Array.isArray(output) ? output : [output];
  chunks = new Map();
  for (const result of results) {
    if (!('output' in result)) throw new Error('Expected a finished build, not a watcher');
    for (const item of result.output) if (item.type === 'chunk') chunks.set(item.fileName, item);
  }
});

afterAll(() => {
  if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
});

/** Entry chunks and, transitively, what they import statically (dynamic imports load later). */
function initialChunks(): string[] {
  const pending = [...chunks.values()].filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName);
  const seen = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    pending.push(...(chunks.get(name)?.imports ?? []));
  }
  return [...seen];
}

describe('web app bundle', () => {
  it('loads at most 150 KB of gzipped JavaScript before the first page', () => {
    const initial = initialChunks();
    expect(initial.length).toBeGreaterThan(0);
    const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    for (const entry of initial.filter((name) => chunks.get(name)?.isEntry)) expect(html).toContain(entry);
    const gzipped = initial.reduce((sum, name) => sum + gzipSync(readFileSync(path.join(outDir, name))).length, 0);
    console.info(`web app initial JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped (${initial.join(', ')})`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('is a production build even when built from a test run (NODE_ENV=test)', () => {
    const code = [...chunks.values()].map((chunk) => chunk.code).join('\n');
    // Development JSX calls jsxDEV, which production React lacks: the app would not render.
    expect(code).not.toContain('jsxDEV');
    expect(code).not.toContain('react-dom.development');
  });
});
