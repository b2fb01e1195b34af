import { describe, expect, it } from 'vitest';
import { matchPath, parseHash } from './router.ts';

describe('hash router', () => {
  it('reads the path and query of a hash', () => {
    const location = parseHash('#/admin/orders?status=CONFIRMED');
    expect(location.path).toBe('/admin/orders');
    expect(location.query.get('status')).toBe('CONFIRMED');
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#orders').path).toBe('/orders');
  });

  it('matches patterns with parameters, and nothing else', () => {
    expect(matchPath('/orders/:orderId', '/orders/a%2Fb')).toEqual({ orderId: 'a/b' });
    expect(matchPath('/orders/:orderId', '/orders/abc/')).toEqual({ orderId: 'abc' });
    expect(matchPath('/orders/:orderId', '/orders')).toBeUndefined();
    expect(matchPath('/orders', '/orders/abc')).toBeUndefined();
    expect(matchPath('/', '/')).toEqual({});
  });
});
