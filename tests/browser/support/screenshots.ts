import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPOSITORY_ROOT } from '#local/cloud/state-file.ts';

/** Where the README and docs find the screenshots the browser tests take. */
export const SCREENSHOT_DIRECTORY = join(REPOSITORY_ROOT, 'docs', 'screenshots');

/**
 * Saves what the page shows now as `docs/screenshots/<name>.png` (the viewport, or the whole page
 * with `fullPage`), and returns the path. Take it once the page has settled (await the text the
 * screenshot is meant to show first), so reruns give the same picture.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean; directory?: string } = {}): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`Screenshot names are kebab-case file names: ${name}`);
  const directory = options.directory ?? SCREENSHOT_DIRECTORY;
  await mkdir(directory, { recursive: true });
  const path = join(directory, `${name}.png`);
  // No blinking caret or running animation in a picture meant for the docs.
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled', caret: 'hide' });
  return path;
}
