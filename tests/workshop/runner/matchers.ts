/**
 * The two ways a step's output is checked (workshop/README.md, "How the pages are tested").
 *
 * `text output`: stdout equals the block, ignoring trailing whitespace on every line and
 * trailing blank lines; `...` stands for any text (possibly empty, across lines), as doctest's
 * ELLIPSIS. A line that is only `...` stands for any number of whole lines, none included.
 *
 * `json output`: stdout is one JSON value that contains the block's: objects may have more
 * keys, arrays have the same length and match element by element, the string `"..."` matches
 * any value, and a string with `...` in it matches a string as a text block would.
 */

export const ELLIPSIS = '...';

/** Trailing whitespace of every line and trailing blank lines dropped; CRLF read as LF. */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

export function textMatches(expected: string, actual: string): boolean {
  return ellipsisPattern(normalizeOutput(expected)).test(normalizeOutput(actual));
}

function ellipsisPattern(expected: string): RegExp {
  const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lines = expected.split('\n');
  const last = lines.length - 1;
  const source = lines
    .map((line, index) => {
      if (line === ELLIPSIS) {
        // A line of its own: any whole lines, none included (each with its own newline).
        if (lines.length === 1) return '[\\s\\S]*';
        return index === last ? '(?:\\n[\\s\\S]*)?' : '(?:[^\\n]*\\n)*?';
      }
      const newline = index === last || (index === last - 1 && lines[last] === ELLIPSIS) ? '' : '\\n';
      return line.split(ELLIPSIS).map(escape).join('[\\s\\S]*?') + newline;
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** Where the actual JSON first differs from the expected subset, or undefined when it contains it. */
export function jsonMismatch(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (expected === ELLIPSIS) return undefined;
  if (typeof expected === 'string' && expected.includes(ELLIPSIS)) {
    return typeof actual === 'string' && textMatches(expected, actual) ? undefined : `${path}: expected a string like ${JSON.stringify(expected)}, got ${show(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${show(actual)}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} elements, got ${actual.length}`;
    for (const [index, element] of expected.entries()) {
      const mismatch = jsonMismatch(element, actual[index], `${path}[${index}]`);
      if (mismatch !== undefined) return mismatch;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${path}: expected an object, got ${show(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const childPath = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (!Object.hasOwn(actual, key)) return `${childPath}: missing`;
      const mismatch = jsonMismatch(value, (actual as Record<string, unknown>)[key], childPath);
      if (mismatch !== undefined) return mismatch;
    }
    return undefined;
  }
  return Object.is(expected, actual) || expected === actual ? undefined : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export type OutputCheck = { ok: true } | { ok: false; reason: string };

/** Checks a step's stdout against its expected block. */
export function checkOutput(expected: { kind: 'text' | 'json'; body: string }, stdout: string): OutputCheck {
  if (expected.kind === 'text') return textMatches(expected.body, stdout) ? { ok: true } : { ok: false, reason: 'stdout differs from the text output block' };
  let want: unknown;
  try {
    want = JSON.parse(expected.body);
  } catch (error) {
    return { ok: false, reason: `the json output block is not JSON: ${(error as Error).message}` };
  }
  let got: unknown;
  try {
    got = JSON.parse(stdout);
  } catch (error) {
    return { ok: false, reason: `stdout is not one JSON value: ${(error as Error).message}` };
  }
  const mismatch = jsonMismatch(want, got);
  return mismatch === undefined ? { ok: true } : { ok: false, reason: mismatch };
}
