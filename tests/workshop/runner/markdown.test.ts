import { describe, expect, it } from 'vitest';
import { DEFAULT_STEP_TIMEOUT_SECONDS, firstLineOf, parsePage } from './markdown.ts';

const page = (...lines: string[]) => parsePage('workshop/09-x.md', lines.join('\n'));

describe('parsePage', () => {
  it('finds each step at the line of its opening fence, with its options and the output block right after it', () => {
    const parsed = page(
      '# Module 9: X', //                          1
      '',
      '```bash step', //                           3
      'eval "$(npm run -s env)"',
      '```',
      '',
      '```bash step exit=3 timeout=300', //        7
      'echo one',
      'echo two',
      '```',
      '',
      '```text output', //                         12
      'one',
      '...',
      '```',
      '```bash step aws', //                       16
      'aws cloudformation describe-stacks',
      '```',
      '```json output', //                         19
      '{"Stacks": "..."}',
      '```',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.steps).toEqual([
      { line: 3, command: 'eval "$(npm run -s env)"', exit: 0, timeoutSeconds: DEFAULT_STEP_TIMEOUT_SECONDS, aws: false },
      { line: 7, command: 'echo one\necho two', exit: 3, timeoutSeconds: 300, aws: false, expected: { kind: 'text', line: 12, body: 'one\n...' } },
      { line: 16, command: 'aws cloudformation describe-stacks', exit: 0, timeoutSeconds: 120, aws: true, expected: { kind: 'json', line: 19, body: '{"Stacks": "..."}' } },
    ]);
  });

  it('keeps shown bash blocks for shellcheck but does not run them', () => {
    const parsed = page('```bash', 'npm start', '```', '```bash step', 'true', '```', '```sh', 'ls', '```');
    expect(parsed.shellBlocks).toEqual([
      { line: 1, code: 'npm start' },
      { line: 4, code: 'true' },
    ]);
    expect(parsed.steps.map((step) => step.line)).toEqual([4]);
  });

  it('reads fences indented in a list item, without the indentation, and longer fences holding shorter ones', () => {
    const parsed = page('1. Run it:', '', '   ```bash step', '   curl -s "$API/products"', '     | jq .', '   ```', '````text output', 'a ```', '````');
    expect(parsed.steps).toEqual([expect.objectContaining({ line: 3, command: 'curl -s "$API/products"\n  | jq .', expected: { kind: 'text', line: 7, body: 'a ```' } })]);
  });

  it('reports an output block with prose before it, a second output block, unknown options, empty and unclosed blocks', () => {
    const parsed = page(
      '```bash step', //           1
      'true',
      '```',
      'Some prose.',
      '```text output', //         5
      'x',
      '```',
      '```bash step retries=3', // 8
      'true',
      '```',
      '```text output',
      '```',
      '```json output', //        13
      '{}',
      '```',
      '```bash run', //           16
      '```',
      '```bash step', //          18
      '```',
      '```text', //               20
      'never closed',
    );
    expect(parsed.problems).toEqual([
      'workshop/09-x.md:20: the fence opened here is never closed',
      'workshop/09-x.md:5: a text output block must follow a bash step (only blank lines between)',
      'workshop/09-x.md:8: unknown step option "retries=3" (exit=N, timeout=S or aws)',
      'workshop/09-x.md:13: the step at line 8 already has an output block',
      'workshop/09-x.md:16: unknown bash block kind "run" (a step is ```bash step)',
      'workshop/09-x.md:18: the step is empty',
    ]);
  });

  it('collects headings and links outside code blocks, with their lines', () => {
    const parsed = page('# Module 9: X', '## Steps', 'See [the model](../docs/data-model.md) and ![x](../docs/screenshots/cart.png "Cart").', '```bash', '# not a heading [no](link.md)', '```');
    expect(parsed.headings).toEqual([
      { level: 1, text: 'Module 9: X', line: 1 },
      { level: 2, text: 'Steps', line: 2 },
    ]);
    expect(parsed.links).toEqual([
      { kind: 'link', target: '../docs/data-model.md', line: 3 },
      { kind: 'image', target: '../docs/screenshots/cart.png', line: 3 },
    ]);
  });
});

describe('firstLineOf', () => {
  it('is the first non-blank line, marked when more follow', () => {
    expect(firstLineOf('\n  curl -s x\n')).toBe('curl -s x');
    expect(firstLineOf('a=1\nb=2')).toBe('a=1 …');
  });
});
