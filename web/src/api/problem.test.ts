import { describe, expect, it } from 'vitest';
import { ApiError, describeError, fieldErrors, networkProblem, toProblem, unplacedFieldErrors } from './problem.ts';

const validation = {
  type: 'urn:orders:problem:validation',
  title: 'Invalid request',
  status: 400,
  detail: 'The request has invalid fields',
  errors: [
    { field: 'shippingAddress.country', message: 'must be a two-letter country code' },
    { field: 'items[0].quantity', message: 'must be at most 100' },
    { field: 'shippingAddress.country', message: 'is required' },
  ],
};

describe('problem+json mapping', () => {
  it('keeps the API’s problem documents as they are', () => {
    expect(toProblem(400, validation)).toBe(validation);
  });

  it('turns API Gateway’s own answers into a problem, keeping the request id', () => {
    expect(toProblem(401, { message: 'Unauthorized', requestId: 'r-1' })).toEqual({
      type: 'urn:orders:problem:gateway',
      title: 'Unauthorized',
      status: 401,
      detail: 'Unauthorized (request id r-1)',
    });
  });

  it('describes an answer it cannot read by its status', () => {
    expect(toProblem(502, 'Bad Gateway').detail).toBe('The API answered 502.');
    expect(toProblem(500, undefined).status).toBe(500);
  });

  it('maps field errors to their fields, joining several messages for one field', () => {
    expect(fieldErrors(validation)).toEqual({
      'shippingAddress.country': 'must be a two-letter country code; is required',
      'items[0].quantity': 'must be at most 100',
    });
    expect(fieldErrors(undefined)).toEqual({});
  });

  it('lists the field errors no input shows, for the summary', () => {
    expect(unplacedFieldErrors(validation, ['shippingAddress.country'])).toEqual(['items[0].quantity: must be at most 100']);
  });

  it('says a 403 is about permission, and a network failure what happened', () => {
    const forbidden = new ApiError(403, { type: 'urn:orders:problem:forbidden', title: 'Forbidden', status: 403, detail: 'Admins only' });
    expect(describeError(forbidden)).toBe('You are not allowed to do this: Admins only');
    const offline = new ApiError(0, networkProblem());
    expect(offline.isNetworkFailure).toBe(true);
    expect(describeError(offline)).toMatch(/could not be reached/);
  });
});
