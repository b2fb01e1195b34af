import { describe, expect, it } from 'vitest';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { NotFoundError, ValidationError } from '../errors.ts';
import { toProblem } from './problem.ts';

const validationException = () =>
  new DynamoDBServiceException({
    name: 'ValidationException',
    $fault: 'client',
    $metadata: {},
    message: 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value.',
  });

describe('toProblem', () => {
  it('maps our errors to their status, with the field problems', () => {
    const { problem, kind } = toProblem(ValidationError.forField('cursor', 'is not a valid cursor for this list'), '/products');
    expect(kind).toBe('expected');
    expect(problem).toMatchObject({ status: 400, instance: '/products', errors: [{ field: 'cursor', message: 'is not a valid cursor for this list' }] });
    expect(toProblem(new NotFoundError('gone')).problem.status).toBe(404);
  });

  it('calls an unexpected failure a 500 that is safe to retry', () => {
    const { problem, kind, expected } = toProblem(new Error('socket hang up'));
    expect([problem.status, kind, expected]).toEqual([500, 'failure', false]);
    expect(problem.detail).toMatch(/safe to retry/);
    expect(problem.detail).not.toMatch(/socket/);
  });

  it('calls a request DynamoDB refused as invalid a defect: a 500 that does not invite a retry', () => {
    const { problem, kind, expected } = toProblem(validationException());
    expect([problem.status, kind, expected]).toEqual([500, 'defect', false]);
    expect(problem.detail).not.toMatch(/safe to retry/);
    expect(problem.detail).toMatch(/retrying will not help/);
    // DynamoDB's own words stay in the log, never in the response.
    expect(JSON.stringify(problem)).not.toMatch(/AttributeValue|ValidationException/);
  });
});
