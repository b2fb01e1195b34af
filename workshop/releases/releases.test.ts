import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Module 8 applies these patches to the repository as it is: they must keep applying (and
// reverting) cleanly, and touch GetProductFunction's handler only.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });

describe.each(['bad-release.patch', 'good-release.patch'])('workshop/releases/%s', (patch) => {
  const path = `workshop/releases/${patch}`;

  it('applies to the repository as it is, and changes only the GetProduct handler', () => {
    expect(() => git('apply', '--check', path)).not.toThrow();
    expect(git('apply', '--numstat', path).trim().split('\n').map((line) => line.split('\t')[2])).toEqual(['functions/products/get-product/index.ts']);
  });
});

describe('the releases', () => {
  it('differ by the crash at load only', () => {
    const added = (patch: string) =>
      readFileSync(join(ROOT, 'workshop/releases', patch), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('+') && !line.startsWith('+++'))
        .map((line) => line.slice(1));
    const good = added('good-release.patch');
    const bad = added('bad-release.patch');
    expect(bad.slice(0, good.length)).toEqual(good);
    expect(bad.slice(good.length).filter((line) => line.trim() !== '' && !line.startsWith('//'))).toEqual([
      "throw new Error('Module 8: a deliberately bad release');",
    ]);
  });
});
