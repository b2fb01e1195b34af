import { describe, expect, it } from 'vitest';
import { SqsError } from './errors.ts';
import { md5OfMessageAttributes, validateMessageAttributes, type MessageAttributes } from './message.ts';

// Expected digests are the published examples of the aws-md5-of-message-attributes package,
// which match what SQS returns for the same attributes.
describe('md5OfMessageAttributes', () => {
  const binary = new Uint8Array(Buffer.from('Hello binary world!'));

  it.each<[string, MessageAttributes, string]>([
    ['a string attribute', { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } }, '19e27d4e946b072f3f58da80d94fd778'],
    [
      'a custom number type',
      { customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' } },
      '9fe1b90bbd9965bdf77bac517c7d2495',
    ],
    ['a binary attribute', { binaryAttribute: { DataType: 'Binary', BinaryValue: binary } }, '31a92b15d92f8db860eda32aceb656c3'],
    [
      'several attributes in any insertion order',
      {
        customNumberTypeAttrib: { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' },
        binaryAttribute: { DataType: 'Binary', BinaryValue: binary },
        attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
      },
      'c932db14a896c663f83c260297d594ff',
    ],
  ])('matches SQS for %s', (_, attributes, expected) => {
    expect(md5OfMessageAttributes(attributes)).toBe(expected);
  });

  it('is undefined without attributes, as SQS omits the field', () => {
    expect(md5OfMessageAttributes({})).toBeUndefined();
  });
});

describe('validateMessageAttributes', () => {
  const codeOf = (attributes: MessageAttributes) => {
    try {
      validateMessageAttributes(attributes);
      return 'ok';
    } catch (error) {
      return error instanceof SqsError ? error.type : 'unexpected';
    }
  };

  it('accepts the three data types with custom labels', () => {
    expect(
      codeOf({
        s: { DataType: 'String', StringValue: 'v' },
        n: { DataType: 'Number.int', StringValue: '-1.5e3' },
        b: { DataType: 'Binary.gzip', BinaryValue: new Uint8Array([1]) },
      }),
    ).toBe('ok');
  });

  it.each<[string, MessageAttributes]>([
    ['more than 10 attributes', Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]))],
    ['a reserved AWS. prefix', { 'AWS.thing': { DataType: 'String', StringValue: 'v' } }],
    ['consecutive periods in the name', { 'a..b': { DataType: 'String', StringValue: 'v' } }],
    ['an unknown data type', { a: { DataType: 'Date', StringValue: 'v' } }],
    ['an empty string value', { a: { DataType: 'String', StringValue: '' } }],
    ['a non-numeric Number', { a: { DataType: 'Number', StringValue: 'ten' } }],
    ['a Binary without bytes', { a: { DataType: 'Binary', BinaryValue: new Uint8Array() } }],
  ])('rejects %s', (_, attributes) => {
    expect(codeOf(attributes)).toBe('InvalidParameterValue');
  });
});
