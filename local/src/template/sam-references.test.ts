import { describe, expect, it } from 'vitest';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from './intrinsics.ts';
import { templateFromYaml } from './load-template.ts';
import { ResourceRegistry } from './resource-registry.ts';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    AutoPublishAlias: live
Resources:
  Reserve:
    Type: AWS::Serverless::Function
    Properties:
      DeploymentPreference: { Type: AllAtOnce }
  Topic:
    Type: AWS::SNS::Topic
`;

function resolve(value: unknown, text = TEMPLATE) {
  const template = templateFromYaml(text);
  return createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) }).resolve(value);
}

const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:Reserve';

describe('what SAM lets a template reference beyond its own resources', () => {
  it('`!Ref Fn.Alias` and `!Ref Fn.Version` are the alias and the (one local) version, `!GetAtt Fn.Version.Version` its number', () => {
    expect(resolve({ Ref: 'Reserve.Alias' })).toBe(`${FUNCTION}:live`);
    expect(resolve({ Ref: 'Reserve.Version' })).toBe(`${FUNCTION}:1`);
    expect(resolve({ 'Fn::GetAtt': ['Reserve', 'Version.Version'] })).toBe('1');
    expect(resolve({ 'Fn::Sub': '${Reserve.Alias}' })).toBe(`${FUNCTION}:live`);
  });

  it('`ServerlessDeploymentApplication` exists once a function has a DeploymentPreference', () => {
    expect(resolve({ Ref: 'ServerlessDeploymentApplication' })).toBe('ServerlessDeploymentApplication');
    expect(() => resolve({ Ref: 'ServerlessDeploymentApplication' }, TEMPLATE.replace('      DeploymentPreference: { Type: AllAtOnce }\n', '      MemorySize: 128\n'))).toThrow(
      /neither a parameter nor a resource/,
    );
  });

  it('refuses `.Alias` of a function without AutoPublishAlias, and of anything that is not a function', () => {
    expect(() => resolve({ Ref: 'Topic.Alias' })).toThrow(/Ref to "Topic.Alias"/);
    expect(() => resolve({ Ref: 'Nope.Version' })).toThrow(/Ref to "Nope.Version"/);
  });
});
