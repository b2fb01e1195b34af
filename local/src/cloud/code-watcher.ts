import { existsSync, type FSWatcher, watch } from 'node:fs';
import { resolve } from 'node:path';
import type { LocalLambdaService } from '../lambda/lambda-service.ts';
import { resourcesOfType } from '../template/load-template.ts';
import type { LoadedTemplate } from '../template/load-template.ts';

/**
 * Watches the functions' code and the layers' content (as the template locates them) and
 * recycles the Lambda environments on a change, so the next request runs the new code, as
 * after `sam deploy`. For `npm start`; tests run against fixed code.
 */
export function watchFunctionCode(loaded: LoadedTemplate, lambda: LocalLambdaService, onChange: (file: string) => void): () => void {
  const layerDirectories = resourcesOfType(loaded.template, 'AWS::Serverless::LayerVersion')
    .map(([, layer]) => layer.Properties?.ContentUri)
    .filter((uri): uri is string => typeof uri === 'string')
    .map((uri) => resolve(loaded.directory, uri));
  const directories = [...new Set([...lambda.functions.map((fn) => fn.codeDirectory), ...layerDirectories])].filter((directory) =>
    existsSync(directory),
  );

  let pending: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = directories.map((directory) =>
    watch(directory, { recursive: true }, (_event, file) => {
      if (file === null || file.includes('node_modules') || file.endsWith('.test.ts')) return;
      // Editors write a file in several steps; act once they are done.
      clearTimeout(pending);
      pending = setTimeout(() => {
        lambda.recycle();
        onChange(resolve(directory, file));
      }, 150);
    }),
  );
  return () => {
    clearTimeout(pending);
    for (const watcher of watchers) watcher.close();
  };
}
