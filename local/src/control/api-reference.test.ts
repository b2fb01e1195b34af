import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackHttpServer } from '../core/loopback-server.ts';
import { API_REFERENCE_PATH, apiReference } from './api-reference.ts';

describe('the API reference page', () => {
  const pages = apiReference({ apiUrl: () => 'http://127.0.0.1:3999' });
  const server = new LoopbackHttpServer('api reference test', 0, (request, response) => {
    if (!pages(request, response)) response.writeHead(418).end();
  });
  let base: string;

  beforeAll(async () => {
    base = await server.start();
  });
  afterAll(() => server.stop());

  it('serves an HTML page that loads Swagger UI from this server, not from a CDN', async () => {
    const response = await fetch(`${base}${API_REFERENCE_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toEqual([`${API_REFERENCE_PATH}/swagger-ui.css`, `${API_REFERENCE_PATH}/swagger-ui-bundle.js`]);
    expect(html).toContain(`url: '${API_REFERENCE_PATH}/openapi.json'`);
    expect(html).toContain('validatorUrl: null');
  });

  it('serves the Swagger UI files from the swagger-ui-dist package', async () => {
    const script = await fetch(`${base}${API_REFERENCE_PATH}/swagger-ui-bundle.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('SwaggerUIBundle');
    const styles = await fetch(`${base}${API_REFERENCE_PATH}/swagger-ui.css`);
    expect(styles.status).toBe(200);
    expect((await styles.text()).length).toBeGreaterThan(1000);
  });

  it('serves docs/openapi.json with the running API as its only server, for "Try it out"', async () => {
    const response = await fetch(`${base}${API_REFERENCE_PATH}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; servers: unknown; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.servers).toEqual([{ url: 'http://127.0.0.1:3999', description: 'This local cloud' }]);
    expect(Object.keys(document.paths)).toContain('/orders');
  });

  it('answers 404 for other files under its path and 405 for other methods', async () => {
    expect((await fetch(`${base}${API_REFERENCE_PATH}/package.json`)).status).toBe(404);
    expect((await fetch(`${base}${API_REFERENCE_PATH}/index.html`)).status).toBe(404);
    expect((await fetch(`${base}${API_REFERENCE_PATH}`, { method: 'POST' })).status).toBe(405);
  });

  it('leaves every other path to the control endpoint', async () => {
    expect((await fetch(`${base}/__local/health`)).status).toBe(418);
    expect((await fetch(`${base}/__local/docsx`)).status).toBe(418);
  });
});
