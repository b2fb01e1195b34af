import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// docs/data-model.md lists every access pattern with the code that implements it: every query
// and write in the code is in that table, and everything the table names exists. A repository
// method added without its row (or a row left behind by a removed method) fails here.

const SRC = new URL('./', import.meta.url);
const DATA_MODEL = new URL('../../../docs/data-model.md', import.meta.url);

/** `Class.method` for every method the access-pattern table names in its code column. */
function documentedMethods(markdown: string): string[] {
  const section = /^## Access patterns\n([\s\S]*?)^## /m.exec(markdown)?.[1] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('|') && !/^\|\s*(pattern|-)/.test(line));
  return rows.flatMap((row) => {
    const code = row.split('|').at(-2) ?? '';
    // "`ProductRepository.create`, `update`, `setStock`": later names belong to the same class.
    let owner: string | undefined;
    return [...code.matchAll(/`([\w.]+)`/g)].flatMap(([, name = '']) => {
      const [first, method] = name.split('.');
      if (method !== undefined) owner = first;
      else if (owner === undefined) return [];
      return [`${owner}.${method ?? name}`];
    });
  });
}

/** `Class.method` for every public method of the repositories (`<feature>/*-repository.ts`). */
function repositoryMethods(): string[] {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('-repository.ts'));
  expect(files.length).toBeGreaterThan(0);
  return files.flatMap((file) => {
    const source = readFileSync(new URL(file, SRC), 'utf8');
    return [...source.matchAll(/^export class (\w+)[^{]*\{([\s\S]*?)^\}/gm)].flatMap(([, className, body = '']) =>
      [...body.matchAll(/^ {2}(?:async )?(\w+)\(/gm)].map(([, method]) => `${className}.${method}`).filter((name) => !name.endsWith('.constructor')),
    );
  });
}

describe('docs/data-model.md, the access-pattern table', () => {
  const documented = documentedMethods(readFileSync(DATA_MODEL, 'utf8'));
  const implemented = repositoryMethods();

  it('names every public repository method (add a row: pattern, index, key condition, example, code)', () => {
    expect(implemented.filter((method) => !documented.includes(method))).toEqual([]);
  });

  it('names only repository methods that exist', () => {
    const repositories = new Set(implemented.map((method) => method.split('.')[0]));
    const missing = documented.filter((method) => repositories.has(method.split('.')[0]) && !implemented.includes(method));
    expect(missing).toEqual([]);
    expect(documented.length, 'no Class.method names found in the table').toBeGreaterThan(0);
  });
});
