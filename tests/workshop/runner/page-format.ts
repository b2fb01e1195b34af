import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WorkshopPage } from './markdown.ts';

/** The level-2 headings of every page, exactly these, in this order. */
export const SECTIONS = ['Steps', 'Checkpoint', 'Recap', 'Read the code'] as const;

/** What every page's first step is: the variables the page uses, read from the running cloud. */
export const ENV_STEP = 'eval "$(npm run -s env)"';

/** The minutes a page says it takes (`**Time:** about NN minutes`), or undefined. */
export function minutesOf(page: WorkshopPage): number | undefined {
  const match = /\*\*Time:\*\*\s*about\s+(\d+)\s+minutes/.exec(page.lines.join('\n'));
  return match ? Number(match[1]) : undefined;
}

/**
 * Where a page departs from the page format (workshop/README.md, "How the pages are tested"),
 * each as `file:line: what`: the title, the Goal/Time/You need line, the four sections, the
 * first step, the checkpoint step, the blocks, and links and images that lead nowhere.
 */
export function pageFormatProblems(page: WorkshopPage, module: number, root: string): string[] {
  const problems = [...page.problems];
  const at = (line: number) => `${page.path}:${line}`;

  const title = page.headings[0];
  if (title === undefined || title.level !== 1 || title.line !== 1 || !new RegExp(`^Module ${module}: \\S`).test(title.text)) {
    problems.push(`${at(1)}: the page starts with "# Module ${module}: <title>"`);
  }
  if (page.headings.filter((heading) => heading.level === 1).length > 1) problems.push(`${at(1)}: only one level-1 heading`);

  const intro = page.lines.slice(1, page.headings.find((heading) => heading.level === 2)?.line ?? page.lines.length).join('\n');
  for (const label of ['Goal', 'Time', 'You need']) {
    if (!intro.includes(`**${label}:**`)) problems.push(`${at(1)}: the introduction has no **${label}:**`);
  }
  if (minutesOf(page) === undefined) problems.push(`${at(1)}: the time reads "**Time:** about NN minutes"`);

  const sections = page.headings.filter((heading) => heading.level === 2);
  const names = sections.map((heading) => heading.text);
  if (names.join('|') !== SECTIONS.join('|')) {
    problems.push(`${at(sections[0]?.line ?? 1)}: the sections are ${SECTIONS.map((name) => `"## ${name}"`).join(', ')} in this order (found: ${names.map((name) => `"${name}"`).join(', ') || 'none'})`);
  }

  const first = page.steps[0];
  if (first === undefined) problems.push(`${at(1)}: the page has no \`\`\`bash step`);
  else {
    const runnable = page.steps.find((step) => !step.aws);
    const firstStep = runnable ?? first;
    if (firstStep.command.trim() !== ENV_STEP || firstStep.expected !== undefined) {
      problems.push(`${at(firstStep.line)}: the first step is exactly \`${ENV_STEP}\`, without an output block`);
    }
  }

  const checkpointHeading = sections.find((heading) => heading.text === 'Checkpoint');
  const nextHeading = checkpointHeading && sections[sections.indexOf(checkpointHeading) + 1];
  const checkpointSteps = page.steps.filter((step) => checkpointHeading && step.line > checkpointHeading.line && (nextHeading === undefined || step.line < nextHeading.line));
  const checkpointCommand = new RegExp(`npm run -s checkpoint -- ${module}(\\s|$)`);
  if (!checkpointSteps.some((step) => checkpointCommand.test(step.command) && step.expected !== undefined)) {
    problems.push(`${at(checkpointHeading?.line ?? 1)}: the checkpoint section has a step \`npm run -s checkpoint -- ${module}\` with its expected output`);
  }

  for (const link of page.links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link.target) || link.target.startsWith('#')) continue;
    const file = link.target.split('#')[0]!;
    if (!existsSync(join(root, dirname(page.path), decodeURI(file)))) problems.push(`${at(link.line)}: ${link.kind === 'image' ? 'image' : 'link'} ${link.target} leads to no file`);
  }
  return problems;
}
