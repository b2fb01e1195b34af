import { describe, expect, it } from 'vitest';
import { problemWithListProductsAnswer } from './smoke-test.ts';

const page = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({
  payload: { statusCode: 200, headers, body: JSON.stringify(body) },
});

describe('problemWithListProductsAnswer', () => {
  it('accepts a 200 JSON catalogue page, empty or not, whatever the header case', () => {
    expect(problemWithListProductsAnswer(page({ items: [], nextCursor: null }))).toBeUndefined();
    expect(problemWithListProductsAnswer(page({ items: [{ productId: 'p' }] }, { 'Content-Type': 'application/json; charset=utf-8' }))).toBeUndefined();
  });

  it('names what is wrong with anything else', () => {
    expect(problemWithListProductsAnswer({ functionError: 'Unhandled', payload: { errorType: 'Error', errorMessage: 'boom' } })).toMatch(/^the function failed \(Unhandled\): .*boom/);
    expect(problemWithListProductsAnswer({ payload: null })).toMatch(/^not an API Gateway proxy result/);
    expect(problemWithListProductsAnswer({ payload: { statusCode: 500, headers: {}, body: '{"title":"Internal"}' } })).toBe('status 500, expected 200: {"title":"Internal"}');
    expect(problemWithListProductsAnswer(page({ items: [] }, { 'content-type': 'text/html' }))).toBe('content-type text/html, expected application/json');
    expect(problemWithListProductsAnswer({ payload: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: 'not json' } })).toBe('the body is not JSON: not json');
    expect(problemWithListProductsAnswer(page({ products: [] }))).toBe('the body has no items list: {"products":[]}');
  });
});
