import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the web app is and what its build depends on. */
export interface WebAppSource {
  /** The Vite project: `index.html`, `src/`, `vite.config.ts`; it builds into `dist/`. */
  root: string;
  /** Files outside `root` whose change makes the build stale (docs/openapi.json: the typed client comes from it). */
  extraInputs?: string[];
}

export type BuildState = { state: 'fresh' } | { state: 'missing' } | { state: 'stale'; newer: string };

export const distOf = (source: WebAppSource): string => join(source.root, 'dist');

/**
 * Whether `dist/` is missing, or older than anything it is built from (`src/`, `index.html`,
 * `public/`, `vite.config.ts`, the extra inputs): the time of `dist/index.html` against the
 * newest of those.
 */
export async function buildState(source: WebAppSource): Promise<BuildState> {
  const built = await stat(join(distOf(source), 'index.html')).catch(() => undefined);
  if (built === undefined) return { state: 'missing' };
  const inputs = [
    join(source.root, 'src'),
    join(source.root, 'public'),
    join(source.root, 'index.html'),
    join(source.root, 'vite.config.ts'),
    ...(source.extraInputs ?? []),
  ];
  for (const input of inputs) {
    const newer = await firstNewerThan(input, built.mtimeMs);
    if (newer !== undefined) return { state: 'stale', newer };
  }
  return { state: 'fresh' };
}

async function firstNewerThan(path: string, time: number): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  if (!info.isDirectory()) return info.mtimeMs > time ? path : undefined;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const newer = await firstNewerThan(join(path, entry.name), time);
    if (newer !== undefined) return newer;
  }
  return undefined;
}

/**
 * Builds the app with Vite's `build()` and its own `vite.config.ts`, as `npm run web:build`
 * does. Vite is imported only when a build is needed: a fresh `dist/` costs nothing.
 */
export async function buildWebApp(source: WebAppSource): Promise<void> {
  const configFile = join(source.root, 'vite.config.ts');
  const { build } = await import('vite');
  // Vite sets NODE_ENV for its build when it is unset; the local cloud's process keeps its own.
  const nodeEnv = process.env.NODE_ENV;
  try {
    await build({ root: source.root, configFile: existsSync(configFile) ? configFile : false, logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
