import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '#local/cloud/state-file.ts';
import { parsePage } from './markdown.ts';
import { minutesOf, pageFormatProblems } from './page-format.ts';

const GOOD = [
  '# Module 3: Events', //                                                                  1
  '',
  '**Goal:** see events flow. **Time:** about 20 minutes. **You need:** the local cloud.',
  '',
  '## Steps', //                                                                            5
  '',
  '```bash step',
  'eval "$(npm run -s env)"',
  '```',
  '',
  'See [the events](../docs/events.md#topics) and ![the cart](../docs/screenshots/cart.png), or [AWS](https://aws.amazon.com).',
  '',
  '## Checkpoint', //                                                                       13
  '',
  '```bash step',
  'npm run -s checkpoint -- 3',
  '```',
  '',
  '```text output',
  '✓ Module 3: ...',
  '```',
  '',
  '## Recap',
  '',
  '- Events.',
  '',
  '## Read the code',
  '',
  '- [template.yaml](../template.yaml)',
].join('\n');

const problemsOf = (text: string, module = 3) => pageFormatProblems(parsePage('workshop/03-events.md', text), module, REPOSITORY_ROOT);

describe('pageFormatProblems', () => {
  it('accepts a page in the format', () => {
    expect(problemsOf(GOOD)).toEqual([]);
    expect(minutesOf(parsePage('workshop/03-events.md', GOOD))).toBe(20);
  });

  it('wants the title to name the module of the file name', () => {
    expect(problemsOf(GOOD, 4)).toContain('workshop/03-events.md:1: the page starts with "# Module 4: <title>"');
  });

  it('wants Goal, Time (in minutes) and You need in the introduction', () => {
    expect(problemsOf(GOOD.replace('**Time:** about 20 minutes. ', ''))).toEqual([
      'workshop/03-events.md:1: the introduction has no **Time:**',
      'workshop/03-events.md:1: the time reads "**Time:** about NN minutes"',
    ]);
  });

  it('wants the four sections in their order, and no others', () => {
    const swapped = GOOD.replace('## Recap', '## Read the code (first)').replace('## Read the code\n', '## Recap\n');
    expect(problemsOf(swapped)).toEqual([
      'workshop/03-events.md:5: the sections are "## Steps", "## Checkpoint", "## Recap", "## Read the code" in this order (found: "Steps", "Checkpoint", "Read the code (first)", "Recap")',
    ]);
    expect(problemsOf(GOOD.replace('## Recap', '## Recap\n\n## Extra'))).toHaveLength(1);
  });

  it('wants the env step first, and the checkpoint step with its output in the Checkpoint section', () => {
    expect(problemsOf(GOOD.replace('eval "$(npm run -s env)"', 'npm run env'))).toEqual([
      'workshop/03-events.md:7: the first step is exactly `eval "$(npm run -s env)"`, without an output block',
    ]);
    expect(problemsOf(GOOD.replace('checkpoint -- 3', 'checkpoint -- 2'))).toEqual([
      'workshop/03-events.md:13: the checkpoint section has a step `npm run -s checkpoint -- 3` with its expected output',
    ]);
  });

  it('reports links and images that lead to no file, and the blocks the parser refused', () => {
    const broken = GOOD.replace('../docs/events.md#topics', '../docs/no-such.md').replace('screenshots/cart.png', 'screenshots/none.png').replace('```bash step\neval', '```bash step retry\neval');
    expect(problemsOf(broken)).toEqual([
      'workshop/03-events.md:7: unknown step option "retry" (exit=N, timeout=S or aws)',
      'workshop/03-events.md:11: link ../docs/no-such.md leads to no file',
      'workshop/03-events.md:11: image ../docs/screenshots/none.png leads to no file',
    ]);
  });

  it('takes the first step that runs without a stack as the env step on pages with aws steps', () => {
    const aws = GOOD.replace('```bash step\neval', '```bash step aws\neval').replace('```bash step\nnpm run -s checkpoint', '```bash step aws\nnpm run -s checkpoint');
    expect(problemsOf(aws)).toEqual([]);
  });
});
