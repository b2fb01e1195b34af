import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's `chromium` package, which `.ci/run` installs with apt-get when it is missing: there is
 * no browser download here, so Playwright drives the system's Chromium. `CHROMIUM_PATH`
 * points elsewhere (say, Google Chrome on a laptop).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}. Install Debian's package (sudo apt-get install -y chromium; .ci/run does it as root) or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Chromium's sandbox refuses to run as root (containers, CI); elsewhere it stays on.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}
