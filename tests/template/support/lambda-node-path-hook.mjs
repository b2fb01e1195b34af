// Resolves bare ES module specifiers through NODE_PATH, as the Lambda Node.js runtimes do
// (plain Node only honours NODE_PATH for CommonJS). Load it first: `node --import <this file>`.
//
// Lambda sets NODE_PATH=/opt/nodejs/node24/node_modules:/opt/nodejs/node_modules:
// /var/runtime/node_modules:/var/runtime:/var/task, so a function's `import '@orders/shared'`
// finds the layer in /opt/nodejs/node_modules and the layer's `import '@aws-sdk/...'` finds the
// SDK the runtime ships. Here, after the normal lookup (node_modules walking up from the
// importer) fails, each NODE_PATH directory that holds the package is tried in order, with the
// package's own `exports`/`main` honoured. Used by tests/template and bench/module-load.ts.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const nodePath = (process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; relative, absolute, URLs → undefined. */
function packageName(specifier) {
  if (/^(\.{0,2}\/|[a-zA-Z][a-zA-Z0-9+.-]*:)/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const name = packageName(specifier);
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || name === undefined) throw error;
      for (const dir of nodePath) {
        if (!existsSync(path.join(dir, name))) continue;
        if (path.basename(dir) === 'node_modules') {
          // Resolve as if imported from a module next to `dir`: `dir` is then the first
          // node_modules searched, and it holds the package (checked above).
          const parentURL = pathToFileURL(path.join(path.dirname(dir), '__node_path_importer__.mjs')).href;
          return nextResolve(specifier, { ...context, parentURL });
        }
        // A NODE_PATH entry that is not a node_modules directory (/var/runtime, /var/task):
        // only a file path under it can match.
        return nextResolve(pathToFileURL(path.join(dir, specifier)).href, context);
      }
      throw error;
    }
  },
});
