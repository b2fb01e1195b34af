import type { z } from 'zod';
import { ValidationError, type FieldProblem } from './errors.ts';

/** `['items', 0, 'quantity']` → `items[0].quantity` (with an optional prefix such as `query.`). */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  const joined = path.reduce<string>((acc, segment) => {
    if (typeof segment === 'number') return `${acc}[${segment}]`;
    return acc === '' ? String(segment) : `${acc}.${String(segment)}`;
  }, '');
  if (prefix === '') return joined === '' ? 'body' : joined;
  return joined === '' ? prefix : `${prefix}.${joined}`;
}

/** Turns zod issues into the field problems a client can act on. */
export function toFieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldPath([...issue.path, key], prefix),
        message: 'is not a recognised field',
      }));
    }
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return [{ field: fieldPath(issue.path, prefix), message: missing ? 'is required' : issue.message }];
  });
}

/** Validates untrusted input (a body, parameters, an event) or throws a ValidationError naming each field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(toFieldProblems(result.error, prefix));
  return result.data;
}
