import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../errors.ts';
import { assertAdmin } from './policy.ts';

describe('assertAdmin', () => {
  it('lets a member of the admin group through', () => {
    expect(() => assertAdmin({ userId: 'u', email: undefined, groups: ['support', 'admin'] })).not.toThrow();
  });

  it.each([[[]], [['support']], [['administrators']]])('refuses groups %j with a 403', (groups) => {
    expect(() => assertAdmin({ userId: 'u', email: undefined, groups })).toThrow(
      new ForbiddenError('This operation is for administrators only'),
    );
  });
});
