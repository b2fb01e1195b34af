import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';

export interface BrowserSession {
  /** A fresh page in a fresh context (no cookies, no storage) for the current test. */
  newPage(): Promise<Page>;
  /** Errors the pages of this test threw or logged (`console.error`); a journey test expects none. */
  readonly pageErrors: string[];
}

/**
 * One Chromium per test file, a new context per page: every test starts signed out, with empty
 * storage, at a 1280×800 viewport in English and UTC (stable screenshots). Call at the top of
 * a file: `const browser = useBrowser();` then `const page = await browser.newPage();`.
 * Pages open relative to the web app: `page.goto('/orders')`.
 */
export function useBrowser(): BrowserSession {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    pageErrors.length = 0;
  });
  afterAll(async () => {
    await browser?.close();
  });

  return {
    pageErrors,
    async newPage() {
      if (browser === undefined) throw new Error('useBrowser(): the browser is not running (call useBrowser() at the top of the file, outside a test)');
      const context = await browser.newContext({
        baseURL: inject('webUrl'),
        viewport: { width: 1280, height: 800 },
        locale: 'en-US',
        timezoneId: 'UTC',
        colorScheme: 'light',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(`${page.url()}: console.error ${message.text()}`);
      });
      return page;
    },
  };
}
