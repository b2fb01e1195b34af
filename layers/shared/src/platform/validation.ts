import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { ValidationError, type FieldProblem } from './errors.ts';

// The layer's schemas are written with zod/mini, which, unlike zod's classic API, sets no locale
// when it loads. English is what every message a client reads is written in (a schema's own
// message wins over it), so it is set here, where every parse goes through.
z.config(en());

/** `['items', 0, 'quantity']` → `items[0].quantity` (with an optional prefix such as `query.`). */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  const joined = path.reduce<string>((acc, segment) => {
    if (typeof segment === 'number') return `${acc}[${segment}]`;
    return acc === '' ? String(segment) : `${acc}.${String(segment)}`;
  }, '');
  if (prefix === '') return joined === '' ? 'body' : joined;
  return joined === '' ? prefix : `${prefix}.${joined}`;
}

/** Whether the client sent anything at `path` (a key present, even as null), read from the input itself. */
function isPresent(input: unknown, path: readonly PropertyKey[]): boolean {
  let current = input;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return false;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current !== undefined;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/**
 * What the client sent, described by its kind and never by its content (a short number is
 * shown, as it is the clearest way to say what is wrong with it). Undefined when the message
 * already says all there is: a number where a whole number is expected, or NaN from a query
 * value that is not a number at all.
 */
function describeSent(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    case 'number':
      return Number.isFinite(value) && String(value).length <= 20 ? String(value) : undefined;
    default:
      return undefined;
  }
}

/**
 * The message for a value of the wrong type when the schema gives none of its own. A schema's
 * own message (`z.int('must be a whole number of minor units (cents)')`) takes precedence over
 * this per-parse map in zod 4.
 */
const wrongTypeMessages: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' ? `must be ${EXPECTED[issue.expected] ?? issue.expected}` : undefined;

/**
 * Turns zod issues into the field problems a client can act on. A field the client left out
 * "is required"; a field sent with the wrong type says what was expected and what was sent.
 * `input` is what was validated (to tell a missing field from one sent as null or as a string).
 */
export function toFieldProblems(error: z.core.$ZodError, prefix = '', input?: unknown): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldPath([...issue.path, key], prefix),
        message: 'is not a recognised field',
      }));
    }
    return [{ field: fieldPath(issue.path, prefix), message: messageFor(issue, input) }];
  });
}

function messageFor(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'invalid_value' && !isPresent(input, issue.path)) return `is required and ${issue.message}`;
  if (issue.code !== 'invalid_type') return issue.message;
  if (!isPresent(input, issue.path)) {
    // A schema may say more than "is required" (how to supply the field); keep that.
    return issue.message.startsWith('is required') ? issue.message : 'is required';
  }
  const sent = describeSent(issue.input);
  return sent === undefined ? issue.message : `${issue.message}, not ${sent}`;
}

/**
 * Validates untrusted input (a body, parameters, an event) or throws a ValidationError naming
 * each field. Takes any zod 4 schema (zod/mini or classic).
 */
export function parseWith<S extends z.core.$ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = z.safeParse(schema, input, { reportInput: true, error: wrongTypeMessages });
  if (!result.success) throw new ValidationError(toFieldProblems(result.error, prefix, input));
  return result.data;
}
