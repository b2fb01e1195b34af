import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { LoopbackHttpServer } from '../core/loopback-server.ts';

/** `GET /config.json`: what the built app reads at run time (the contract in web/src/config.ts). */
export interface WebRuntimeConfig {
  /** No trailing slash. */
  apiUrl: string;
  cognito: { endpoint: string; region: string; userPoolId: string; clientId: string };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * The headers CloudFront's managed SecurityHeadersPolicy adds in AWS, less
 * Strict-Transport-Security (meaningless over the loopback's plain HTTP), plus a
 * Content-Security-Policy that lets the page reach only itself, the API and Cognito: the same
 * limits the app meets when deployed, so a page that works here works there.
 */
export function securityHeaders(config: WebRuntimeConfig): Record<string, string> {
  const origins = [...new Set([new URL(config.apiUrl).origin, new URL(config.cognito.endpoint).origin])].join(' ');
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      `connect-src 'self' ${origins}`,
      "img-src 'self' data:",
      "style-src 'self' 'unsafe-inline'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-XSS-Protection': '1; mode=block',
  };
}

/**
 * Serves a built single-page app from `dist` and its runtime configuration at `/config.json`.
 * A path with no file extension that names no file is a route of the app: it gets
 * `index.html` (CloudFront's error response does the same in AWS). Hashed assets under
 * `/assets/` may be cached for good; `index.html` and `/config.json` are revalidated.
 */
export function webHandler(dist: string, config: () => WebRuntimeConfig): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void serve(dist, config, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Internal error: ${String(error)}`);
    });
  };
}

async function serve(dist: string, config: () => WebRuntimeConfig, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const runtimeConfig = config();
  const headers = securityHeaders(runtimeConfig);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Method not allowed');
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Bad request path');
    return;
  }
  if (path === '/config.json') {
    const body = JSON.stringify(runtimeConfig, null, 2);
    res.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES['.json'], 'Cache-Control': 'no-cache', 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }

  const file = await fileFor(dist, path);
  if (file === undefined) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`Not found: ${path}`);
    return;
  }
  const immutable = path.startsWith('/assets/');
  res.writeHead(200, {
    ...headers,
    'Content-Type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': file.size,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file.path).pipe(res);
}

/** The file a path names inside `dist` (never outside it), `index.html` for an app route, or undefined. */
async function fileFor(dist: string, path: string): Promise<{ path: string; size: number } | undefined> {
  const root = normalize(dist);
  const candidate = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  if (info?.isFile()) return { path: candidate, size: info.size };
  const lastSegment = path.split('/').pop() ?? '';
  if (lastSegment.includes('.')) return undefined;
  const index = join(root, 'index.html');
  const indexInfo = await stat(index).catch(() => undefined);
  return indexInfo?.isFile() ? { path: index, size: indexInfo.size } : undefined;
}

export async function startWebServer(port: number, dist: string, config: () => WebRuntimeConfig): Promise<LoopbackHttpServer> {
  const server = new LoopbackHttpServer('web app', port, webHandler(dist, config));
  await server.start();
  return server;
}
