import { describe, expect, it } from 'vitest';
import { DEFAULT_PSEUDO } from './intrinsics.ts';
import { ResourceRegistry } from './resource-registry.ts';
import type { CfnTemplate } from './template-types.ts';

const template: CfnTemplate = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table' },
    Queue: { Type: 'AWS::SQS::Queue' },
    Topic: { Type: 'AWS::SNS::Topic' },
    Machine: { Type: 'AWS::Serverless::StateMachine' },
    Odd: { Type: 'Custom::Thing' },
  },
};

describe('ResourceRegistry', () => {
  const registry = new ResourceRegistry(template, DEFAULT_PSEUDO);

  it('gives type-shaped defaults for resources nothing registered', () => {
    expect(registry.ref('Table')).toBe('Table');
    expect(registry.getAtt('Table', 'Arn')).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/Table');
    expect(registry.ref('Queue')).toBe('https://sqs.us-east-1.amazonaws.com/000000000000/Queue');
    expect(registry.getAtt('Queue', 'Arn')).toBe('arn:aws:sqs:us-east-1:000000000000:Queue');
    expect(registry.ref('Topic')).toBe('arn:aws:sns:us-east-1:000000000000:Topic');
    expect(registry.ref('Machine')).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:Machine');
  });

  it('prefers registered values', () => {
    const own = new ResourceRegistry(template, DEFAULT_PSEUDO);
    own.register('Queue', { ref: 'http://127.0.0.1:9324/000000000000/Queue', attributes: { Arn: 'arn:local' } });
    expect([own.ref('Queue'), own.getAtt('Queue', 'Arn')]).toEqual(['http://127.0.0.1:9324/000000000000/Queue', 'arn:local']);
  });

  it('knows a resource SAM generates (not in the template) only once a service registered it', () => {
    const own = new ResourceRegistry(template, DEFAULT_PSEUDO);
    expect(own.hasGenerated('ApiApiKey')).toBe(false);
    own.register('ApiApiKey', { ref: 'key-1' });
    own.register('Queue', { ref: 'http://127.0.0.1:9324/000000000000/Queue' });
    expect([own.hasGenerated('ApiApiKey'), own.ref('ApiApiKey')]).toEqual([true, 'key-1']);
    // A template resource is not a generated one, registered or not.
    expect(own.hasGenerated('Queue')).toBe(false);
  });

  it('still resolves unknown types and attributes, to values that say where they came from', () => {
    expect(registry.ref('Odd')).toBe('Odd');
    expect(registry.getAtt('Odd', 'Endpoint')).toBe('local:Odd.Endpoint');
  });
});
