import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { fieldPath, parseWith, toFieldProblems } from './validation.ts';

// Mutation testing (docs/testing.md): how zod's issues become the field problems a client reads.
describe('field problems from zod issues', () => {
  it.each([
    [['items', 0, 'quantity'], '', 'items[0].quantity'],
    [['shippingAddress', 'city'], '', 'shippingAddress.city'],
    [[0], '', '[0]'],
    [[], '', 'body'],
    [['limit'], 'query', 'query.limit'],
    [['lines', 1], 'query', 'query.lines[1]'],
    [[], 'header:Idempotency-Key', 'header:Idempotency-Key'],
  ])('names the path %j (prefix %j) as %s', (path, prefix, field) => {
    expect(fieldPath(path, prefix)).toBe(field);
  });

  it('names a body field without a prefix by its path alone', () => {
    expect(fieldPath(['items', 0])).toBe('items[0]');
  });

  it('names every unknown field on its own, under its parent', () => {
    const result = z.strictObject({ address: z.strictObject({ city: z.string() }) }).safeParse({ address: { city: 'X', zip: 1, pin: 2 } });
    expect(result.success).toBe(false);
    expect(toFieldProblems(result.error!, 'body')).toEqual([
      { field: 'body.address.zip', message: 'is not a recognised field' },
      { field: 'body.address.pin', message: 'is not a recognised field' },
    ]);
  });

  it('says a missing field is required, and passes on the schema’s message for a wrong value', () => {
    const schema = z.object({ name: z.string(), quantity: z.int().min(1, 'must be at least 1') });
    const result = schema.safeParse({ quantity: 0 });
    expect(toFieldProblems(result.error!)).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'quantity', message: 'must be at least 1' },
    ]);
  });

  it('returns the parsed value of valid input, and throws a ValidationError naming the fields of invalid input', () => {
    const schema = z.object({ limit: z.coerce.number().int() });
    expect(parseWith(schema, { limit: '5' })).toEqual({ limit: 5 });
    expect(() => parseWith(schema, { limit: 'x' }, 'query')).toThrow(ValidationError);
    try {
      parseWith(schema, { limit: 'x' }, 'query');
    } catch (error) {
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual(['query.limit']);
    }
  });
});
