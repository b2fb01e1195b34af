import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildState, buildWebApp } from './web-build.ts';

describe('the web app build', () => {
  let root: string;
  const source = () => ({ root, extraInputs: [join(root, 'openapi.json')] });
  const at = (path: string, seconds: number) => utimes(join(root, path), seconds, seconds);

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'web-app-'));
    await mkdir(join(root, 'src'));
    await writeFile(join(root, 'index.html'), '<!doctype html><html lang="en"><title>Fixture</title><script type="module" src="/src/main.ts"></script></html>');
    await writeFile(join(root, 'src', 'main.ts'), 'document.title = "built";\n');
    await writeFile(join(root, 'openapi.json'), '{}');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('is missing without dist/index.html, fresh when dist is newer than every input, stale otherwise', async () => {
    expect(await buildState(source())).toEqual({ state: 'missing' });

    await mkdir(join(root, 'dist'));
    await writeFile(join(root, 'dist', 'index.html'), '');
    for (const input of ['index.html', 'src/main.ts', 'openapi.json']) await at(input, 1_000);
    await at('dist/index.html', 2_000);
    expect(await buildState(source())).toEqual({ state: 'fresh' });

    await at('src/main.ts', 3_000);
    expect(await buildState(source())).toEqual({ state: 'stale', newer: join(root, 'src', 'main.ts') });
    await at('src/main.ts', 1_000);
    await at('openapi.json', 3_000);
    expect(await buildState(source())).toEqual({ state: 'stale', newer: join(root, 'openapi.json') });
  });

  it('builds dist/ with Vite, after which it is fresh', async () => {
    await buildWebApp(source());

    const html = await readFile(join(root, 'dist', 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    expect((await readdir(join(root, 'dist', 'assets'))).some((file) => file.endsWith('.js'))).toBe(true);
    expect(await buildState(source())).toEqual({ state: 'fresh' });
  });
});
