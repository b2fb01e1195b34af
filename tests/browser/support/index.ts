// The browser harness, for the journey tests of the web app:
//   import { useBrowser, expectAccessible, screenshot } from './support/index.ts';
export { expectAccessible, seriousAccessibilityViolations, type AccessibilityViolation } from './accessibility.ts';
export { useBrowser, type BrowserSession } from './browser.ts';
export { CHROMIUM_PATH, launchChromium } from './chromium.ts';
export { SCREENSHOT_DIRECTORY, screenshot } from './screenshots.ts';
