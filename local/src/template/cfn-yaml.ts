import { parse, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Parses a CloudFormation/SAM YAML template, turning every short-form intrinsic (`!Ref X`,
 * `!Sub [...]`, `!GetAtt A.B`) into the long form (`{ Ref: X }`, `{ 'Fn::Sub': [...] }`,
 * `{ 'Fn::GetAtt': ['A', 'B'] }`) so the rest of the local cloud deals with one shape only.
 */
export function parseCloudFormationYaml(text: string): unknown {
  // YAML 1.2 core schema: `2010-09-09` stays a string and `yes` is not a boolean, which is what
  // template authors expect (and what cfn-lint checks for).
  return parse(text, { customTags: CLOUDFORMATION_TAGS, maxAliasCount: -1 });
}

/** Short-form tag name → long-form key. `Ref` and `Condition` have no `Fn::` prefix. */
const LONG_FORM: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  If: 'Fn::If',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  ImportValue: 'Fn::ImportValue',
  GetAZs: 'Fn::GetAZs',
  Cidr: 'Fn::Cidr',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

/** `!GetAtt Table.StreamArn` is the scalar spelling of `['Table', 'StreamArn']`. */
function getAttFromScalar(value: string): string[] {
  const dot = value.indexOf('.');
  return dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

// Each tag may be written on a scalar, a sequence or a mapping (`!Base64 { Fn::Sub: ... }`),
// so every name gets one tag definition per node kind.
const CLOUDFORMATION_TAGS: Array<ScalarTag | CollectionTag> = Object.entries(LONG_FORM).flatMap(
  ([short, long]): Array<ScalarTag | CollectionTag> => [
    {
      tag: `!${short}`,
      resolve: (value: string) => ({ [long]: short === 'GetAtt' ? getAttFromScalar(value) : value }),
    },
    {
      tag: `!${short}`,
      collection: 'seq',
      resolve: (seq) => ({ [long]: (seq as YAMLSeq).toJSON() }),
    },
    {
      tag: `!${short}`,
      collection: 'map',
      resolve: (map) => ({ [long]: (map as YAMLMap).toJSON() }),
    },
  ],
);
