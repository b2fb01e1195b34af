import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, inject, it } from 'vitest';
import { REPOSITORY_ROOT } from '#local/cloud/state-file.ts';
import { expectAccessible, screenshot, seriousAccessibilityViolations, useBrowser } from './support/index.ts';

/**
 * The browser harness itself (tests/browser/support): Chromium driving the web app the local
 * cloud serves, the accessibility scan and the screenshots, and the sign-in the app relies on,
 * SRP from a page on the web app's origin to the local Cognito.
 */
const browser = useBrowser();

describe('the browser harness', () => {
  it('opens the web app the local cloud serves, configured with this cloud\'s API', async () => {
    const page = await browser.newPage();
    const response = await page.goto('/');

    expect(response?.status()).toBe(200);
    expect(await page.title()).not.toBe('');
    const config = await page.evaluate(async () => (await fetch('/config.json')).json());
    expect(config).toMatchObject({ apiUrl: inject('apiUrl'), cognito: { userPoolId: inject('userPoolId'), clientId: inject('clientId') } });
    if (inject('webApp') === 'fixture') await page.getByText(`API: ${inject('apiUrl')}`).waitFor();
    expect(browser.pageErrors).toEqual([]);
  });

  it('serves an app route (a path without a file) as the app', async () => {
    const page = await browser.newPage();
    const response = await page.goto('/orders/0f8fad5b-d9cb-469f-a165-70867728950e');

    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
  });

  it('finds no serious or critical accessibility violation on the web app\'s first page', async () => {
    const page = await browser.newPage();
    await page.goto('/');
    await page.waitForLoadState('networkidle');

    await expectAccessible(page);
  });

  it('reports a serious violation when a page has one', async () => {
    const page = await browser.newPage();
    await page.goto('/');
    // An image without alternative text: axe-core rates it critical.
    await page.evaluate(`document.body.insertAdjacentHTML('beforeend', '<img src="/missing.png" id="no-alt">')`);

    const violations = await seriousAccessibilityViolations(page);
    expect(violations).toContainEqual(expect.objectContaining({ id: 'image-alt', targets: ['#no-alt'] }));
    await expect(expectAccessible(page)).rejects.toThrow(/image-alt/);
  });

  it('writes a screenshot as a PNG', async () => {
    const page = await browser.newPage();
    await page.goto('/');
    const directory = await mkdtemp(join(tmpdir(), 'screenshots-'));
    try {
      const path = await screenshot(page, 'harness-check', { directory });
      const png = await readFile(path);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.length).toBeGreaterThan(1_000);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('signs in with SRP from the web app\'s origin to the local Cognito (CORS, CSP, WebCrypto in Chromium)', async () => {
    // web/src/auth/srp.ts as the browser gets it, exposed as globalThis.srp.
    const bundle = await build({
      entryPoints: [join(REPOSITORY_ROOT, 'web', 'src', 'auth', 'srp.ts')],
      bundle: true,
      format: 'iife',
      globalName: 'srp',
      target: 'chrome120',
      write: false,
    });
    const page = await browser.newPage();
    await page.goto('/');
    await page.evaluate(`${bundle.outputFiles[0]?.text ?? ''}\nglobalThis.srp = srp;`);

    const config = { endpoint: inject('cognitoEndpoint'), userPoolId: inject('userPoolId'), clientId: inject('clientId') };
    const signIn = (password: string) =>
      page.evaluate(
        async ([config, password]) => {
          const { srpAuthenticate } = (globalThis as unknown as { srp: typeof import('../../web/src/auth/srp.ts') }).srp;
          try {
            const tokens = await srpAuthenticate(config, 'alice@example.com', password);
            return { email: (JSON.parse(atob(tokens.IdToken.split('.')[1] ?? '')) as { email: string }).email };
          } catch (error) {
            return { error: (error as Error).name };
          }
        },
        [config, password] as const,
      );

    expect(await signIn(inject('password'))).toEqual({ email: 'alice@example.com' });
    expect(await signIn('Passw0rd!Wrong')).toEqual({ error: 'NotAuthorizedException' });
    expect(browser.pageErrors.filter((error) => !error.includes('400 (Bad Request)'))).toEqual([]);
  });
});

describe('the API reference page', () => {
  it('loads in Chromium from the control endpoint', async () => {
    const page = await browser.newPage();
    await page.goto(`${inject('controlUrl')}/__local/docs`);

    await page.locator('.swagger-ui .info .title').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(5);
  });
});
