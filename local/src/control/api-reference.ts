import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPOSITORY_ROOT } from '../cloud/state-file.ts';

/**
 * The API reference page on the control endpoint (`GET /__local/docs`): docs/openapi.json
 * rendered by Swagger UI, whose files come from the `swagger-ui-dist` package on this machine (no
 * CDN: it works offline). The document is served with this local cloud's API as its server, so
 * "Try it out" calls it (the local cloud's Cors allows any origin: LOCAL_PARAMETER_DEFAULTS); paste an ID token from
 * `npm run token` into "Authorize".
 */

export const API_REFERENCE_PATH = '/__local/docs';

export interface ApiReferenceOptions {
  /** The running API's base URL, read per request (the API starts after the control endpoint). */
  apiUrl: () => string;
  /** Default: the repository's docs/openapi.json. */
  documentPath?: string;
}

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Serverless orders API (local)</title>
  <link rel="stylesheet" href="${API_REFERENCE_PATH}/swagger-ui.css">
</head>
<body>
  <div id="api-reference"></div>
  <script src="${API_REFERENCE_PATH}/swagger-ui-bundle.js"></script>
  <script>
    SwaggerUIBundle({
      url: '${API_REFERENCE_PATH}/openapi.json',
      dom_id: '#api-reference',
      deepLinking: true,
      persistAuthorization: true,
      // The default sends the document to an online validator; this page stays on the machine.
      validatorUrl: null,
    });
  </script>
</body>
</html>
`;

/**
 * Answers the API reference's requests and returns true, or returns false for any other path
 * (the control endpoint handles those).
 */
export function apiReference(options: ApiReferenceOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  const documentPath = options.documentPath ?? join(REPOSITORY_ROOT, 'docs', 'openapi.json');
  const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

  const serve = async (path: string): Promise<{ status: number; type: string; body: string | Buffer }> => {
    if (path === API_REFERENCE_PATH || path === `${API_REFERENCE_PATH}/`) return { status: 200, type: 'text/html; charset=utf-8', body: PAGE };
    const file = path.slice(API_REFERENCE_PATH.length + 1);
    if (file === 'openapi.json') {
      const document = JSON.parse(await readFile(documentPath, 'utf8')) as Record<string, unknown>;
      const servers = [{ url: options.apiUrl(), description: 'This local cloud' }];
      return { status: 200, type: 'application/json', body: JSON.stringify({ ...document, servers }) };
    }
    const type = ASSETS[file];
    if (type !== undefined) return { status: 200, type, body: await readFile(join(assets, file)) };
    return { status: 404, type: 'text/plain; charset=utf-8', body: `No ${path} here: the API reference is ${API_REFERENCE_PATH}\n` };
  };

  return (request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== API_REFERENCE_PATH && !path.startsWith(`${API_REFERENCE_PATH}/`)) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    serve(path)
      .then(({ status, type, body }) => {
        response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' });
        response.end(request.method === 'HEAD' ? undefined : body);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`The API reference failed: ${String(error)}\n`);
      });
    return true;
  };
}
