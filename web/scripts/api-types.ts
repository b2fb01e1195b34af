/**
 * Writes web/src/api/schema.d.ts, the TypeScript types of the API, from docs/openapi.json with
 * openapi-typescript. `npm run openapi` runs it after regenerating the document;
 * tests/web/api-types.test.ts fails while the committed file differs from what this writes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';

const OPENAPI_PATH = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
export const API_TYPES_PATH = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));

/** The types as committed, from the document as it is on disk. */
export async function renderApiTypes(): Promise<string> {
  const document = JSON.parse(await readFile(OPENAPI_PATH, 'utf8')) as OpenAPI3;
  const ast = await openapiTS(document, { alphabetize: false, silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(API_TYPES_PATH, await renderApiTypes());
  console.log(`Wrote ${API_TYPES_PATH}`);
}
