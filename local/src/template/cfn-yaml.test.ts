import { describe, expect, it } from 'vitest';
import { parseCloudFormationYaml } from './cfn-yaml.ts';

describe('parseCloudFormationYaml', () => {
  it('turns scalar short forms into long forms', () => {
    const parsed = parseCloudFormationYaml(`
      a: !Ref Table
      b: !Sub '\${AWS::StackName}-orders'
      c: !GetAtt Table.StreamArn
      d: !Condition IsProd
      e: !ImportValue shared-vpc
      f: !GetAZs ''
      g: !Base64 hello
    `);
    expect(parsed).toEqual({
      a: { Ref: 'Table' },
      b: { 'Fn::Sub': '${AWS::StackName}-orders' },
      c: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
      d: { Condition: 'IsProd' },
      e: { 'Fn::ImportValue': 'shared-vpc' },
      f: { 'Fn::GetAZs': '' },
      g: { 'Fn::Base64': 'hello' },
    });
  });

  it('keeps everything after the first dot of a scalar !GetAtt as the attribute', () => {
    expect(parseCloudFormationYaml('x: !GetAtt Stack.Outputs.Url')).toEqual({
      x: { 'Fn::GetAtt': ['Stack', 'Outputs.Url'] },
    });
  });

  it('turns sequence short forms into long forms, nested ones included', () => {
    const parsed = parseCloudFormationYaml(`
      x: !If [IsProd, !GetAtt [Table, Arn], !Join ['', [a, !Ref B]]]
      y: !Select [0, !Split [',', !Ref List]]
      z: !FindInMap [StageConfig, !Ref Stage, LogRetentionDays]
      w: !And [!Equals [!Ref A, '1'], !Not [!Condition C], !Or [!Condition D, !Condition E]]
      s: !Sub
        - '\${Name}-x'
        - Name: !Ref Stage
    `);
    expect(parsed).toEqual({
      x: { 'Fn::If': ['IsProd', { 'Fn::GetAtt': ['Table', 'Arn'] }, { 'Fn::Join': ['', ['a', { Ref: 'B' }]] }] },
      y: { 'Fn::Select': [0, { 'Fn::Split': [',', { Ref: 'List' }] }] },
      z: { 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, 'LogRetentionDays'] },
      w: {
        'Fn::And': [
          { 'Fn::Equals': [{ Ref: 'A' }, '1'] },
          { 'Fn::Not': [{ Condition: 'C' }] },
          { 'Fn::Or': [{ Condition: 'D' }, { Condition: 'E' }] },
        ],
      },
      s: { 'Fn::Sub': ['${Name}-x', { Name: { Ref: 'Stage' } }] },
    });
  });

  it('accepts a mapping under a tag', () => {
    expect(parseCloudFormationYaml('x: !Base64 { "Fn::Sub": "a" }')).toEqual({
      x: { 'Fn::Base64': { 'Fn::Sub': 'a' } },
    });
  });

  it('reads plain YAML 1.2 scalars the way template authors expect', () => {
    expect(parseCloudFormationYaml("v: 2010-09-09\nb: yes\nq: '010'\nn: 10")).toEqual({
      v: '2010-09-09',
      b: 'yes',
      q: '010',
      n: 10,
    });
  });
});
