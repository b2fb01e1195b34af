/**
 * `npm run openapi`: writes docs/openapi.json, the API's OpenAPI 3.1 document, from the zod
 * schemas the handlers validate with and the route table in scripts/openapi/operations.ts.
 * tests/template/openapi.test.ts fails while the committed file differs from what this writes.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from './openapi/build-document.ts';

export const OPENAPI_PATH = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));

/** The document as committed: two-space JSON with a final newline. */
export const renderOpenApiDocument = (): string => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(OPENAPI_PATH, renderOpenApiDocument());
  console.log(`Wrote ${OPENAPI_PATH}`);
}
