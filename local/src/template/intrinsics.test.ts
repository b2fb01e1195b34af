import { describe, expect, it } from 'vitest';
import { createIntrinsicResolver } from './intrinsics.ts';
import { templateFromYaml } from './load-template.ts';
import { ResourceRegistry } from './resource-registry.ts';
import { TemplateError } from './template-types.ts';

const TEMPLATE = `
Parameters:
  Stage: { Type: String, Default: dev }
  Origins: { Type: CommaDelimitedList, Default: 'a.example, b.example' }
  Required: { Type: String }
Mappings:
  StageConfig:
    dev: { Retention: 14 }
    prod: { Retention: 365 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  DevWithOrigins: !And [!Condition IsDev, !Equals [!Select [0, !Ref Origins], a.example]]
  Loop: !Not [!Condition Loop]
Resources:
  Table: { Type: AWS::DynamoDB::Table }
  Pool: { Type: AWS::Cognito::UserPool }
  ProdOnly: { Type: AWS::SNS::Topic, Condition: IsProd }
`;

function resolverFor(overrides: Record<string, string> = {}) {
  const template = templateFromYaml(TEMPLATE);
  const pseudo = { region: 'eu-west-1', accountId: '123456789012', stackName: 'orders' };
  const registry = new ResourceRegistry(template, { ...pseudo, partition: 'aws', urlSuffix: 'amazonaws.com' });
  registry.register('Pool', { ref: 'local_abc', attributes: { Arn: 'arn:pool' } });
  const resolver = createIntrinsicResolver({ template, resources: registry, parameterOverrides: overrides, pseudo });
  return resolver;
}

describe('createIntrinsicResolver', () => {
  const resolver = resolverFor();

  it('resolves Ref to parameters, pseudo parameters and resources', () => {
    expect(
      resolver.resolve({
        stage: { Ref: 'Stage' },
        origins: { Ref: 'Origins' },
        region: { Ref: 'AWS::Region' },
        table: { Ref: 'Table' },
        pool: { Ref: 'Pool' },
      }),
    ).toEqual({
      stage: 'dev',
      origins: ['a.example', 'b.example'],
      region: 'eu-west-1',
      table: 'Table',
      pool: 'local_abc',
    });
  });

  it('lets parameter overrides win over defaults', () => {
    expect(resolverFor({ Stage: 'prod' }).resolve({ Ref: 'Stage' })).toBe('prod');
  });

  it('resolves Fn::GetAtt from registered values and type defaults', () => {
    expect(resolver.resolve({ 'Fn::GetAtt': ['Pool', 'Arn'] })).toBe('arn:pool');
    expect(resolver.resolve({ 'Fn::GetAtt': 'Table.Arn' })).toBe('arn:aws:dynamodb:eu-west-1:123456789012:table/Table');
  });

  it('substitutes parameters, pseudo parameters, resources, attributes and variables in Fn::Sub', () => {
    expect(resolver.resolve({ 'Fn::Sub': '${AWS::StackName}-${Stage}-${Table}-${Table.Arn}' })).toBe(
      'orders-dev-Table-arn:aws:dynamodb:eu-west-1:123456789012:table/Table',
    );
    expect(resolver.resolve({ 'Fn::Sub': ['${Name}:${AWS::AccountId}', { Name: { Ref: 'Stage' } }] })).toBe(
      'dev:123456789012',
    );
    expect(resolver.resolve({ 'Fn::Sub': "'${!Literal}'" })).toBe("'${Literal}'");
  });

  it('evaluates conditions, nested ones included', () => {
    expect(resolver.condition('IsProd')).toBe(false);
    expect(resolver.condition('IsDev')).toBe(true);
    expect(resolver.condition('DevWithOrigins')).toBe(true);
    expect(resolverFor({ Stage: 'prod' }).condition('IsProd')).toBe(true);
  });

  it('reports a condition that refers to itself', () => {
    expect(() => resolver.condition('Loop')).toThrow(/refers to itself/);
  });

  it('picks the Fn::If branch and drops AWS::NoValue from maps and lists', () => {
    expect(
      resolver.resolve({
        kept: { 'Fn::If': ['IsProd', 'ACTIVE', 'INACTIVE'] },
        dropped: { 'Fn::If': ['IsProd', 'x', { Ref: 'AWS::NoValue' }] },
        list: ['a', { 'Fn::If': ['IsDev', { Ref: 'AWS::NoValue' }, 'b'] }],
      }),
    ).toEqual({ kept: 'INACTIVE', list: ['a'] });
  });

  it('resolves Join, Select, Split, FindInMap, Base64, GetAZs and Length', () => {
    expect(resolver.resolve({ 'Fn::Join': ['-', ['a', { Ref: 'Stage' }]] })).toBe('a-dev');
    expect(resolver.resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] })).toBe('y');
    expect(resolver.resolve({ 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, 'Retention'] })).toBe(14);
    expect(resolver.resolve({ 'Fn::Base64': 'hi' })).toBe('aGk=');
    expect(resolver.resolve({ 'Fn::GetAZs': '' })).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(resolver.resolve({ 'Fn::Length': [1, 2, 3] })).toBe(3);
  });

  it('knows which resources are active', () => {
    expect(resolver.isActive('Table')).toBe(true);
    expect(resolver.isActive('ProdOnly')).toBe(false);
  });

  it('fails with the path of the offending value', () => {
    expect(() => resolver.resolve({ a: { b: { Ref: 'Nope' } } })).toThrow(TemplateError);
    expect(() => resolver.resolve({ a: { b: { Ref: 'Nope' } } })).toThrow(/\$\.a\.b\.Ref: Ref to "Nope"/);
    expect(() => resolver.resolve({ 'Fn::Select': [5, ['a']] })).toThrow(/out of range/);
    expect(() => resolver.resolve({ Ref: 'Required' })).toThrow(/Required has no Default/);
    expect(() => resolver.resolve({ 'Fn::ImportValue': 'x' })).toThrow(/another stack/);
  });

  it('leaves maps with several keys alone apart from resolving their values', () => {
    expect(resolver.resolve({ Ref: 'Stage', Other: 1 })).toEqual({ Ref: 'Stage', Other: 1 });
  });
});
