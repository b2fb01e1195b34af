import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from './errors.ts';
import { createProductBody, idempotencyKey, ordersByStatusQuery, pageQuery, placeOrderBody, setStockBody } from './http/api-schemas.ts';
import { fieldPath, parseWith, toFieldProblems } from './validation.ts';

const ORDER_LINE_PRODUCT = '3f0c2a52-7a4e-4d1c-9a53-0b8f3d4f9e21';
const address = { name: 'Eve', line1: '3 Oak St', city: 'Ogdenville', postalCode: '99999', country: 'US' };

function problemsOf(schema: z.core.$ZodType, input: unknown, prefix = '') {
  try {
    parseWith(schema, input, prefix);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).errors;
  }
  return expect.unreachable('the input should have been refused');
}

describe('parseWith', () => {
  it('returns the parsed value with defaults applied', () => {
    expect(parseWith(createProductBody, { name: ' Cup ', price: 500 })).toEqual({ name: 'Cup', description: '', price: 500, currency: 'USD' });
  });

  // The examples: a field present with the wrong type was reported as "is required".
  it.each<[string, z.core.$ZodType, unknown, string, string]>([
    ['a price with cents as a fraction', createProductBody, { name: 'x', price: 9.99 }, 'price', 'must be a whole number of minor units (cents), not 9.99'],
    ['a price as a string', createProductBody, { name: 'x', price: '9' }, 'price', 'must be a whole number of minor units (cents), not a string'],
    ['a name that is a nested array', createProductBody, { name: [['x']], price: 100 }, 'name', 'must be a string, not a list'],
    ['a name that is null', createProductBody, { name: null, price: 100 }, 'name', 'must be a string, not null'],
    ['a name that is an object', createProductBody, { name: { first: 'x' }, price: 100 }, 'name', 'must be a string, not an object'],
    ['a limit that is not a number', pageQuery, { limit: 'abc' }, 'limit', 'must be a number'],
    ['a quantity as a string', placeOrderBody, { items: [{ productId: ORDER_LINE_PRODUCT, quantity: '1' }], shippingAddress: address }, 'items[0].quantity', 'must be a whole number, not a string'],
    ['items that are not a list', placeOrderBody, { items: 'all of them', shippingAddress: address }, 'items', 'must be a list, not a string'],
    ['stock as a boolean', setStockBody, { stock: true }, 'stock', 'must be a whole number, not true'],
  ])('says what is wrong with %s', (_, schema, input, field, message) => {
    expect(problemsOf(schema, input)).toContainEqual({ field, message });
  });

  it('says "is required" only for a field that was left out', () => {
    expect(problemsOf(createProductBody, {})).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'price', message: 'is required' },
    ]);
    expect(problemsOf(placeOrderBody, { items: [{ productId: ORDER_LINE_PRODUCT }], shippingAddress: address })).toEqual([
      { field: 'items[0].quantity', message: 'is required' },
    ]);
  });

  it('keeps a schema’s own "is required" message, which says how to supply the value', () => {
    expect(problemsOf(idempotencyKey, undefined, 'header:Idempotency-Key')).toEqual([
      { field: 'header:Idempotency-Key', message: 'is required: send a unique key per order, e.g. a UUID' },
    ]);
  });

  it('says a missing choice is required and what the choices are', () => {
    const [problem] = problemsOf(ordersByStatusQuery, {});
    expect(problem).toEqual({ field: 'status', message: expect.stringMatching(/^is required and must be one of PENDING, /) });
  });

  it('never echoes a long value back', () => {
    const long = 'x'.repeat(5000);
    const messages = problemsOf(createProductBody, { name: 'x', price: long, description: long }).map((p) => p.message);
    expect(messages.join(' ')).not.toContain('xxxxxxxxxx');
    expect(problemsOf(createProductBody, { name: 'x', price: 10 ** 30 }).map((p) => p.message).join(' ')).not.toMatch(/\d{20}/);
  });

  it('names unknown fields', () => {
    expect(problemsOf(createProductBody, { name: 'x', price: 1, stock: 5 })).toEqual([{ field: 'stock', message: 'is not a recognised field' }]);
  });
});

describe('fieldPath', () => {
  it('joins paths with an optional prefix', () => {
    expect(fieldPath(['items', 0, 'quantity'])).toBe('items[0].quantity');
    expect(fieldPath([])).toBe('body');
    expect(fieldPath(['limit'], 'query')).toBe('query.limit');
    expect(fieldPath([], 'query')).toBe('query');
  });
});

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
