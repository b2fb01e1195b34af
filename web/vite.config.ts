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
  // A build is always a production build, whatever NODE_ENV the process that runs it has
  // (vitest sets it to `test`: the browser tests and the bundle budget build from inside it):
  // React's production code, and JSX compiled for it (Vite's default follows NODE_ENV, and
  // development JSX calls jsxDEV, which production React does not have).
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  oxc: { jsx: { runtime: 'automatic', development: command !== 'build' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
}));
