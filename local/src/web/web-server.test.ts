import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopbackHttpServer } from '../core/loopback-server.ts';
import { startWebServer, type WebRuntimeConfig } from './web-server.ts';

const CONFIG: WebRuntimeConfig = {
  apiUrl: 'http://127.0.0.1:3000',
  cognito: { endpoint: 'http://127.0.0.1:9700/', region: 'us-east-1', userPoolId: 'us-east-1_Local', clientId: 'client123' },
};

describe('the web app server', () => {
  let directory: string;
  let server: LoopbackHttpServer;
  const get = (path: string, init?: RequestInit) => fetch(`${server.endpoint}${path}`, init);

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'web-dist-'));
    await mkdir(join(directory, 'assets'));
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>Orders</title>');
    await writeFile(join(directory, 'assets', 'index-abc123.js'), 'console.log("app")');
    await writeFile(join(directory, 'assets', 'index-abc123.css'), 'body{}');
    await writeFile(join(directory, 'favicon.svg'), '<svg/>');
    await writeFile(join(tmpdir(), 'outside-web-dist.txt'), 'secret');
    server = await startWebServer(0, directory, () => CONFIG);
  });
  afterAll(async () => {
    await server.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('serves /config.json with the API and Cognito of this cloud, never cached stale', async () => {
    const response = await get('/config.json');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.json()).toEqual(CONFIG);
  });

  it('serves each file with its content type; hashed assets are cacheable for good', async () => {
    const script = await get('/assets/index-abc123.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe('console.log("app")');

    expect((await get('/assets/index-abc123.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');
    const index = await get('/');
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers an app route (no file extension) with index.html, and a missing file with 404', async () => {
    const route = await get('/orders/0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Orders</title>');

    expect((await get('/assets/missing-123.js')).status).toBe(404);
  });

  it('never serves a file outside dist', async () => {
    const response = await get('/..%2Foutside-web-dist.txt');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret');
  });

  it('adds the security headers CloudFront adds, and a CSP that allows only the API and Cognito', async () => {
    const headers = (await get('/')).headers;

    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:3000 http://127.0.0.1:9700");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('takes GET and HEAD only', async () => {
    expect((await get('/', { method: 'HEAD' })).status).toBe(200);
    const post = await get('/config.json', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
