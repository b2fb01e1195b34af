import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web app's build. No framework plugin: Vite transforms TSX itself (the automatic JSX
 * runtime, from tsconfig.json), and the app has no use for fast refresh's extra dependency.
 * The output is static files in web/dist, configured at run time by /config.json.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
