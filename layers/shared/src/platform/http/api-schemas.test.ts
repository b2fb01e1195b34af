import { describe, expect, it } from 'vitest';
import { updateProductBody } from './api-schemas.ts';

describe('updateProductBody', () => {
  it('accepts a change of any one field', () => {
    expect(updateProductBody.parse({ price: 2700 })).toEqual({ price: 2700 });
    expect(updateProductBody.parse({ description: '' })).toEqual({ description: '' });
  });

  it.each([[{}], [{ price: undefined }]])('refuses %j: a change must change something', (body) => {
    const result = updateProductBody.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['must change at least one of name, description, price, currency']);
  });
});
