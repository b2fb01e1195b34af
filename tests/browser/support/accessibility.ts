import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The rules axe-core checks: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export interface AccessibilityViolation {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

/** Every serious or critical axe-core violation on the page as it is now (`include`: only under that selector). */
export async function seriousAccessibilityViolations(page: Page, include?: string): Promise<AccessibilityViolation[]> {
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  if (include !== undefined) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

/**
 * Fails when axe-core finds a serious or critical violation on the page, naming each rule, why
 * it matters and the elements: the accessibility scan every page of the web app passes.
 */
export async function expectAccessible(page: Page, include?: string): Promise<void> {
  const violations = await seriousAccessibilityViolations(page, include);
  if (violations.length === 0) return;
  const report = violations.map((violation) => `- ${violation.impact} ${violation.id}: ${violation.help}\n    ${violation.targets.join('\n    ')}`).join('\n');
  throw new Error(`${page.url()} has ${violations.length} serious or critical accessibility violation(s):\n${report}`);
}
