import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web app's build. No framework plugin: Vite transforms TSX itself (the automatic JSX
 * runtime, from tsconfig.json), and the app has no use for fast refresh's extra dependency.
 * The output is static files in web/dist, configured at run time by /config.json.
 */
export default defineConfig(({ command }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the files work from any path they are served at.
  base: './',
  // A build is always React's production build, whatever NODE_ENV the process that runs it has
  // (vitest sets it to `test`, and the bundle-budget test must measure what ships).
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
}));
