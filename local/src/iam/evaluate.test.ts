import { describe, expect, it } from 'vitest';
import { conditionsHold, evaluate, type EvaluationRequest, UnsupportedConditionError } from './evaluate.ts';
import type { NamedPolicy, Statement } from './policy-document.ts';
import { arnMatches } from './policy-document.ts';

// Cases from the IAM User Guide's "Policy evaluation logic", "IAM JSON policy elements: Condition
// operators" and "Condition with multiple context keys or values".

const ROLE = { kind: 'role', roleArn: 'arn:aws:iam::000000000000:role/R', sessionArn: 'arn:aws:sts::000000000000:assumed-role/R/fn', account: '000000000000' } as const;
const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders';
const identity = (...statements: Statement[]): NamedPolicy[] => [{ name: 'p', kind: 'inline', document: { Statement: statements } }];
const request = (action: string, resource = TABLE, context = {}): EvaluationRequest => ({ principal: ROLE, action, resource, context });

describe('evaluate', () => {
  it('denies implicitly when nothing allows', () => {
    expect(evaluate(request('dynamodb:PutItem'), { identity: identity({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE }) })).toEqual({
      allowed: false,
      explicit: false,
      missing: 'identity',
    });
  });

  it('lets an explicit Deny win over any Allow', () => {
    const decision = evaluate(request('dynamodb:GetItem'), {
      identity: identity({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:GetItem', Resource: TABLE }),
    });
    expect(decision).toMatchObject({ allowed: false, explicit: true, by: { kind: 'identity', statement: { Effect: 'Deny' } } });
  });

  it('applies a Deny with NotResource to every resource but the ones it names', () => {
    const queue = 'arn:aws:sqs:us-east-1:000000000000:Mine';
    const policies = {
      identity: identity(
        { Effect: 'Allow', Action: ['sqs:ReceiveMessage'], Resource: '*' },
        { Effect: 'Deny', Action: ['sqs:ReceiveMessage'], NotResource: queue },
      ),
    };
    expect(evaluate(request('sqs:ReceiveMessage', queue), policies).allowed).toBe(true);
    expect(evaluate(request('sqs:ReceiveMessage', 'arn:aws:sqs:us-east-1:000000000000:Other'), policies)).toMatchObject({ allowed: false, explicit: true });
  });

  it('matches actions case-insensitively and with wildcards, resources case-sensitively', () => {
    const policies = { identity: identity({ Effect: 'Allow', Action: 'DynamoDB:Get*', Resource: 'arn:aws:dynamodb:*:000000000000:table/Orders' }) };
    expect(evaluate(request('dynamodb:GetItem'), policies).allowed).toBe(true);
    expect(evaluate(request('dynamodb:PutItem'), policies).allowed).toBe(false);
    expect(evaluate(request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/orders'), policies).allowed).toBe(false);
  });

  it('does not let a table grant cover its indexes', () => {
    const policies = { identity: identity({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: TABLE }) };
    expect(evaluate(request('dynamodb:Query', `${TABLE}/index/GSI1`), policies).allowed).toBe(false);
    expect(arnMatches(`${TABLE}/*`, `${TABLE}/index/GSI1`)).toBe(true);
    expect(arnMatches('arn:aws:sqs:*:*:*', 'arn:aws:sqs:us-east-1:000000000000:Q')).toBe(true);
  });

  it('supports NotAction', () => {
    const policies = { identity: identity({ Effect: 'Allow', NotAction: 'dynamodb:DeleteItem', Resource: '*' }) };
    expect(evaluate(request('dynamodb:GetItem'), policies).allowed).toBe(true);
    expect(evaluate(request('dynamodb:DeleteItem'), policies).allowed).toBe(false);
  });

  describe('resource-based policies', () => {
    const queue = 'arn:aws:sqs:us-east-1:000000000000:Q';
    const topic = 'arn:aws:sns:us-east-1:000000000000:T';
    const queuePolicy: NamedPolicy[] = [
      {
        name: 'QueuePolicy',
        kind: 'inline',
        document: {
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queue, Condition: { ArnEquals: { 'aws:SourceArn': topic } } },
          ],
        },
      },
    ];
    const sns = (sourceArn: string): EvaluationRequest => ({
      principal: { kind: 'service', service: 'sns.amazonaws.com' },
      action: 'sqs:SendMessage',
      resource: queue,
      context: { 'aws:SourceArn': sourceArn },
    });

    it('allow a service principal only as their conditions say', () => {
      expect(evaluate(sns(topic), { resource: queuePolicy }).allowed).toBe(true);
      expect(evaluate(sns('arn:aws:sns:us-east-1:000000000000:Other'), { resource: queuePolicy })).toEqual({ allowed: false, explicit: false, missing: 'resource' });
      expect(evaluate({ ...sns(topic), principal: { kind: 'service', service: 'events.amazonaws.com' } }, { resource: queuePolicy }).allowed).toBe(false);
    });

    it('allow a role they name, but not through an account principal (that delegates to IAM)', () => {
      const byRole: NamedPolicy = { name: 'q', kind: 'inline', document: { Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE.roleArn }, Action: 'sqs:*', Resource: queue }] } };
      const byAccount: NamedPolicy = {
        name: 'q',
        kind: 'inline',
        document: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sqs:*', Resource: queue }] },
      };
      expect(evaluate(request('sqs:SendMessage', queue), { resource: [byRole] }).allowed).toBe(true);
      expect(evaluate(request('sqs:SendMessage', queue), { resource: [byAccount] }).allowed).toBe(false);
    });

    it('deny explicitly even when the identity policy allows', () => {
      const deny: NamedPolicy = { name: 'q', kind: 'inline', document: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sqs:SendMessage', Resource: queue }] } };
      const decision = evaluate(request('sqs:SendMessage', queue), { identity: identity({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }), resource: [deny] });
      expect(decision).toMatchObject({ allowed: false, explicit: true, by: { kind: 'resource' } });
    });
  });
});

describe('conditions', () => {
  it('AND across operators and keys, OR across values', () => {
    const condition = { StringEquals: { 'aws:SourceAccount': '000000000000', 'k:b': ['x', 'y'] }, ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:*:000000000000:alarm:*' } };
    const context = { 'aws:sourceaccount': '000000000000', 'k:b': 'y', 'aws:sourcearn': 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:A' };
    expect(conditionsHold(condition, context)).toBe(true);
    expect(conditionsHold(condition, { ...context, 'k:b': 'z' })).toBe(false);
    expect(conditionsHold(condition, { ...context, 'aws:sourcearn': 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:A' })).toBe(false);
  });

  it('treat a missing key as not matching, except for negated operators and IfExists', () => {
    expect(conditionsHold({ StringEquals: { 'k:a': 'x' } }, {})).toBe(false);
    expect(conditionsHold({ StringNotEquals: { 'k:a': 'x' } }, {})).toBe(true);
    expect(conditionsHold({ StringEqualsIfExists: { 'k:a': 'x' } }, {})).toBe(true);
    expect(conditionsHold({ StringEqualsIfExists: { 'k:a': 'x' } }, { 'k:a': 'y' })).toBe(false);
    expect(conditionsHold({ Null: { 'k:a': 'true' } }, {})).toBe(true);
    expect(conditionsHold({ Null: { 'k:a': 'false' } }, {})).toBe(false);
  });

  it('negated operators hold only when the value matches none of the listed values', () => {
    expect(conditionsHold({ StringNotEquals: { 'k:a': ['x', 'y'] } }, { 'k:a': 'y' })).toBe(false);
    expect(conditionsHold({ StringNotLike: { 'k:a': ['x*'] } }, { 'k:a': 'yz' })).toBe(true);
  });

  it('set operators for multivalued keys', () => {
    expect(conditionsHold({ 'ForAllValues:StringEquals': { 'k:a': ['x', 'y'] } }, { 'k:a': ['x', 'y'] })).toBe(true);
    expect(conditionsHold({ 'ForAllValues:StringEquals': { 'k:a': ['x'] } }, { 'k:a': ['x', 'y'] })).toBe(false);
    expect(conditionsHold({ 'ForAnyValue:StringEquals': { 'k:a': ['y'] } }, { 'k:a': ['x', 'y'] })).toBe(true);
  });

  it('Bool and numeric operators', () => {
    expect(conditionsHold({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:securetransport': true })).toBe(true);
    expect(conditionsHold({ NumericLessThanEquals: { 'k:n': '10' } }, { 'k:n': 10 })).toBe(true);
    expect(conditionsHold({ NumericGreaterThan: { 'k:n': '10' } }, { 'k:n': 10 })).toBe(false);
  });

  it('refuse an operator they do not know rather than guess', () => {
    expect(() => conditionsHold({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, { 'aws:currenttime': 'x' })).toThrow(UnsupportedConditionError);
  });
});
