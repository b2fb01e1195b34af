import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../cloud/emulated-service.ts';
import type { LocalCloudOptions } from '../cloud/local-cloud.ts';
import { webService } from './service.ts';

/** Just enough of a start-up context for the web service: options, a log, and the API and Cognito it names. */
function contextWith(web: LocalCloudOptions['web']): { context: ServiceContext; errors: string[] } {
  const errors: string[] = [];
  const log = { info: () => {}, warn: () => {}, error: (message: string) => errors.push(message) };
  const services: Record<string, unknown> = {
    apigateway: { url: 'http://127.0.0.1:3000' },
    cognito: { endpoint: 'http://127.0.0.1:9700', primaryPool: { userPoolId: 'us-east-1_Local' }, clientId: 'client123' },
  };
  const context = { options: { ports: { web: 0 }, web }, log, pseudo: { region: 'us-east-1' }, get: (name: string) => services[name] };
  return { context: context as unknown as ServiceContext, errors };
}

describe('the web service', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'web-service-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('serves nothing, and says so, when no web app is asked for or there is none', async () => {
    expect(await webService.start(contextWith(undefined).context)).toMatchObject({ unavailable: 'not requested (the web option is unset)' });
    expect(await webService.start(contextWith({ root }).context)).toMatchObject({ unavailable: `no web app in ${root} (no index.html)` });
  });

  it('says why when the app does not build, and leaves the rest of the cloud running', async () => {
    await writeFile(join(root, 'index.html'), '<!doctype html><script type="module" src="/src/missing.ts"></script>');
    const { context, errors } = contextWith({ root });

    const web = await webService.start(context);

    expect(web.url).toBeUndefined();
    expect(web.unavailable).toMatch(/^the build failed: .+ \(npm run web:build shows why\)$/);
    expect(errors).toHaveLength(1);
  });

  it('serves a built dist/ as it is when asked not to build, with /config.json for this cloud', async () => {
    await mkdir(join(root, 'dist'));
    await writeFile(join(root, 'dist', 'index.html'), '<!doctype html><title>Built</title>');

    const web = await webService.start(contextWith({ root, build: false }).context);
    try {
      expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${web.url}/config.json`)).json()).toEqual({
        apiUrl: 'http://127.0.0.1:3000',
        cognito: { endpoint: 'http://127.0.0.1:9700/', region: 'us-east-1', userPoolId: 'us-east-1_Local', clientId: 'client123' },
      });
    } finally {
      await web.stop();
    }
  });
});
