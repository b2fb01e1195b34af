import { describe, expect, it } from 'vitest';
import {
  InvalidFilterPolicyError,
  matchesFilterPolicy,
  parseFilterPolicy,
  type FilterPolicyScope,
  type FilterableAttributeValue,
} from './filter-policy.ts';

// The guide writes message attributes as they appear in a delivered notification,
// {"Type": "String", "Value": "rugby"}; these helpers keep the examples in that notation.
type DocAttribute = { Type: string; Value: string };

function toApiAttributes(
  attributes: Record<string, DocAttribute>,
): Record<string, FilterableAttributeValue> {
  const result: Record<string, FilterableAttributeValue> = {};
  for (const [name, { Type, Value }] of Object.entries(attributes)) {
    result[name] = { DataType: Type, StringValue: Value };
  }
  return result;
}

function matchesAttributes(policy: unknown, attributes: Record<string, DocAttribute>): boolean {
  const parsed = parseFilterPolicy(policy, 'MessageAttributes');
  return matchesFilterPolicy(parsed, { attributes: toApiAttributes(attributes), body: 'irrelevant' });
}

/** `body` is serialised unless it is already the raw message text. */
function matchesBody(policy: unknown, body: unknown): boolean {
  const parsed = parseFilterPolicy(policy, 'MessageBody');
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return matchesFilterPolicy(parsed, { attributes: {}, body: text });
}

function parseError(
  policy: unknown,
  scope: FilterPolicyScope = 'MessageAttributes',
): InvalidFilterPolicyError {
  try {
    parseFilterPolicy(policy, scope);
  } catch (error) {
    if (error instanceof InvalidFilterPolicyError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the policy to be rejected');
}

const string = (Value: string): DocAttribute => ({ Type: 'String', Value });
const number = (Value: string): DocAttribute => ({ Type: 'Number', Value });
const stringArray = (values: unknown[]): DocAttribute => ({
  Type: 'String.Array',
  Value: JSON.stringify(values),
});

// "Amazon SNS example filter policies"
describe('Amazon SNS example filter policies', () => {
  const attributes = {
    customer_interests: stringArray(['soccer', 'rugby', 'hockey']),
    store: string('example_corp'),
    event: string('order_placed'),
    price_usd: number('210.75'),
  };
  const body = {
    customer_interests: ['soccer', 'rugby', 'hockey'],
    store: 'example_corp',
    event: 'order_placed',
    price_usd: 210.75,
  };
  const accepting = {
    store: ['example_corp'],
    event: [{ 'anything-but': 'order_cancelled' }],
    customer_interests: ['rugby', 'football', 'baseball'],
    price_usd: [{ numeric: ['>=', 100] }],
  };
  const rejecting = {
    store: ['example_corp'],
    event: ['order_cancelled'],
    encrypted: [false],
    customer_interests: ['basketball', 'baseball'],
  };

  it('accepts the example message with the accepting policy, in both scopes', () => {
    expect(matchesAttributes(accepting, attributes)).toBe(true);
    expect(matchesBody(accepting, body)).toBe(true);
  });

  it('rejects the example message with the rejecting policy, in both scopes', () => {
    expect(matchesAttributes(rejecting, attributes)).toBe(false);
    expect(matchesBody(rejecting, body)).toBe(false);
  });

  it('rejects when a single property does not match (a key the message lacks rejects it)', () => {
    expect(matchesAttributes({ ...accepting, encrypted: [false] }, attributes)).toBe(false);
    expect(matchesAttributes({ ...accepting, store: ['other_corp'] }, attributes)).toBe(false);
  });
});

// "String value matching in Amazon SNS"
describe('String value matching', () => {
  describe('exact matching', () => {
    const policy = { customer_interests: ['rugby', 'tennis'] };

    it.each([
      ['String rugby', string('rugby'), true],
      ['String tennis', string('tennis'), true],
      ['String.Array [rugby, tennis]', stringArray(['rugby', 'tennis']), true],
      ['String baseball', string('baseball'), false],
      ['String.Array [baseball]', stringArray(['baseball']), false],
    ])('attribute %s -> %s', (_label, attribute, expected) => {
      expect(matchesAttributes(policy, { customer_interests: attribute })).toBe(expected);
    });

    it.each([
      ['rugby', true],
      ['tennis', true],
      ['baseball', false],
    ])('body "%s" -> %s', (value, expected) => {
      expect(matchesBody(policy, { customer_interests: value })).toBe(expected);
    });

    it('is case-sensitive ("Filter policy constraints")', () => {
      expect(matchesAttributes(policy, { customer_interests: string('Rugby') })).toBe(false);
    });
  });

  describe('anything-but matching', () => {
    const policy = { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] };

    it.each([
      ['String baseball', string('baseball'), true],
      ['String football', string('football'), true],
      // Matches "because it contains a value that isn't rugby or tennis".
      ['String.Array [rugby, baseball]', stringArray(['rugby', 'baseball']), true],
      ['String rugby', string('rugby'), false],
      ['String.Array [rugby]', stringArray(['rugby']), false],
    ])('attribute %s -> %s', (_label, attribute, expected) => {
      expect(matchesAttributes(policy, { customer_interests: attribute })).toBe(expected);
    });

    it.each([
      ['"baseball"', 'baseball', true],
      ['"football"', 'football', true],
      ['["rugby", "baseball"]', ['rugby', 'baseball'], true],
      ['["rugby"]', ['rugby'], false],
    ])('body %s -> %s', (_label, value, expected) => {
      expect(matchesBody(policy, { customer_interests: value })).toBe(expected);
    });

    it('does not match a message without the key, unless combined with "exists": false', () => {
      const attributes = { store: string('fans') };
      expect(matchesAttributes(policy, attributes)).toBe(false);
      const combined = {
        customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }, { exists: false }],
      };
      expect(matchesAttributes(combined, attributes)).toBe(true);
      expect(matchesAttributes(combined, { customer_interests: string('rugby') })).toBe(false);
    });

    it('accepts a single excluded value', () => {
      const single = { event: [{ 'anything-but': 'order_cancelled' }] };
      expect(matchesAttributes(single, { event: string('order_placed') })).toBe(true);
      expect(matchesAttributes(single, { event: string('order_cancelled') })).toBe(false);
    });
  });

  describe('anything-but with prefix', () => {
    const policy = { event: [{ 'anything-but': { prefix: 'order-' } }] };

    it.each([
      ['data-entry', true],
      ['order_number', true],
      ['order-cancelled', false],
    ])('"%s" -> %s, as an attribute and in the body', (value, expected) => {
      expect(matchesAttributes(policy, { event: string(value) })).toBe(expected);
      expect(matchesBody(policy, { event: value })).toBe(expected);
    });
  });

  describe('anything-but with suffix', () => {
    const policy = { customer_interests: [{ 'anything-but': { suffix: 'ball' } }] };

    it('matches ["hockey", "rugby", "soccer"] but not ["baseball", "basketball"]', () => {
      expect(matchesBody(policy, { customer_interests: ['hockey', 'rugby', 'soccer'] })).toBe(true);
      expect(matchesBody(policy, { customer_interests: ['baseball', 'basketball'] })).toBe(false);
      const others = stringArray(['hockey', 'rugby', 'soccer']);
      const balls = stringArray(['baseball', 'basketball']);
      expect(matchesAttributes(policy, { customer_interests: others })).toBe(true);
      expect(matchesAttributes(policy, { customer_interests: balls })).toBe(false);
    });
  });

  describe('anything-but with wildcard', () => {
    const policy = { customer_interests: [{ 'anything-but': { wildcard: '*ball' } }] };

    it('matches ["hockey", "rugby", "soccer"] but not ["baseball", "basketball"]', () => {
      expect(matchesBody(policy, { customer_interests: ['hockey', 'rugby', 'soccer'] })).toBe(true);
      expect(matchesBody(policy, { customer_interests: ['baseball', 'basketball'] })).toBe(false);
    });
  });

  describe('equals-ignore-case matching', () => {
    const policy = { customer_interests: [{ 'equals-ignore-case': 'tennis' }] };

    it.each(['TENNIS', 'Tennis', 'teNnis'])('matches "%s" as an attribute and in the body', (value) => {
      expect(matchesAttributes(policy, { customer_interests: string(value) })).toBe(true);
      expect(matchesBody(policy, { customer_interests: value })).toBe(true);
    });

    it('still requires the whole value to be equal', () => {
      expect(matchesAttributes(policy, { customer_interests: string('table tennis') })).toBe(false);
    });
  });

  describe('IP address matching', () => {
    const policy = { source_ip: [{ cidr: '10.0.0.0/24' }] };

    it.each([
      ['10.0.0.0', true],
      ['10.0.0.255', true],
      ['10.1.1.0', false],
    ])('"%s" -> %s, as an attribute and in the body', (value, expected) => {
      expect(matchesAttributes(policy, { source_ip: string(value) })).toBe(expected);
      expect(matchesBody(policy, { source_ip: value })).toBe(expected);
    });

    it('matches IPv6 subnets and never matches a value that is not an address', () => {
      const ipv6 = { source_ip: [{ cidr: '2001:db8::/32' }] };
      expect(matchesAttributes(ipv6, { source_ip: string('2001:db8::1') })).toBe(true);
      expect(matchesAttributes(ipv6, { source_ip: string('2001:db9::1') })).toBe(false);
      expect(matchesAttributes(policy, { source_ip: string('not-an-ip') })).toBe(false);
    });
  });

  describe('prefix matching', () => {
    const policy = { customer_interests: [{ prefix: 'bas' }] };

    it.each([
      ['baseball', true],
      ['basketball', true],
      ['rugby', false],
    ])('"%s" -> %s, as an attribute and in the body', (value, expected) => {
      expect(matchesAttributes(policy, { customer_interests: string(value) })).toBe(expected);
      expect(matchesBody(policy, { customer_interests: value })).toBe(expected);
    });
  });

  describe('suffix matching', () => {
    const policy = { customer_interests: [{ suffix: 'ball' }] };

    it.each([
      ['baseball', true],
      ['basketball', true],
      ['rugby', false],
    ])('"%s" -> %s, as an attribute and in the body', (value, expected) => {
      expect(matchesAttributes(policy, { customer_interests: string(value) })).toBe(expected);
      expect(matchesBody(policy, { customer_interests: value })).toBe(expected);
    });
  });

  describe('wildcard', () => {
    const policy = { customer_interests: [{ wildcard: '*ball' }] };

    it('matches ["baseball", "basketball"] and not values without the pattern', () => {
      expect(matchesBody(policy, { customer_interests: ['baseball', 'basketball'] })).toBe(true);
      expect(matchesBody(policy, { customer_interests: ['rugby', 'hockey'] })).toBe(false);
    });

    it('treats an escaped star as a literal character', () => {
      const literal = { rating: [{ wildcard: '5\\*' }] };
      expect(matchesBody(literal, { rating: '5*' })).toBe(true);
      expect(matchesBody(literal, { rating: '55' })).toBe(false);
    });
  });
});

// "Numeric value matching in Amazon SNS"
describe('Numeric value matching', () => {
  it('exact matching: ["=", 301.5] matches 301.5 and 3.015e2, as attributes and in the body', () => {
    const policy = { price_usd: [{ numeric: ['=', 301.5] }] };
    expect(matchesAttributes(policy, { price_usd: number('301.5') })).toBe(true);
    expect(matchesAttributes(policy, { price_usd: number('3.015e2') })).toBe(true);
    expect(matchesBody(policy, '{"price_usd": 301.5}')).toBe(true);
    expect(matchesBody(policy, '{"price_usd": 3.015e2}')).toBe(true);
    expect(matchesBody(policy, { price_usd: 301.51 })).toBe(false);
  });

  describe('anything-but matching', () => {
    const policy = { price: [{ 'anything-but': [100, 500] }] };

    it.each([
      ['Number 101', number('101'), true],
      ['Number 100.1', number('100.1'), true],
      // The guide writes this array attribute with the type "Number.Array".
      ['Number.Array [100, 50]', { Type: 'Number.Array', Value: '[100, 50]' }, true],
      ['String.Array [100, 50]', stringArray([100, 50]), true],
      ['Number 100', number('100'), false],
    ])('attribute %s -> %s', (_label, attribute, expected) => {
      expect(matchesAttributes(policy, { price: attribute })).toBe(expected);
    });

    it.each([
      ['101', 101, true],
      ['100.1', 100.1, true],
      ['[100, 50]', [100, 50], true],
      ['100', 100, false],
    ])('body %s -> %s', (_label, value, expected) => {
      expect(matchesBody(policy, { price: value })).toBe(expected);
    });
  });

  describe('value range matching', () => {
    it('["<", 0] matches negative values only', () => {
      const policy = { price_usd: [{ numeric: ['<', 0] }] };
      expect(matchesAttributes(policy, { price_usd: number('-0.5') })).toBe(true);
      expect(matchesAttributes(policy, { price_usd: number('0') })).toBe(false);
      expect(matchesBody(policy, { price_usd: -10 })).toBe(true);
    });

    it.each([
      [150, true],
      [0.01, true],
      [0, false],
      [150.01, false],
    ])('[">", 0, "<=", 150] with %s -> %s', (value, expected) => {
      const policy = { price_usd: [{ numeric: ['>', 0, '<=', 150] }] };
      expect(matchesAttributes(policy, { price_usd: number(String(value)) })).toBe(expected);
      expect(matchesBody(policy, { price_usd: value })).toBe(expected);
    });

    it.each([
      ['>=', 100, 100, true],
      ['>', 100, 100, false],
      ['<=', 100, 100, true],
      ['<', 100, 99.99999, true],
    ])('[%s, %s] with %s -> %s', (operator, operand, value, expected) => {
      const policy = { price: [{ numeric: [operator, operand] }] };
      expect(matchesBody(policy, { price: value })).toBe(expected);
    });

    it('applies to numbers only, not to numeric-looking strings', () => {
      const policy = { price: [{ numeric: ['>', 0] }] };
      expect(matchesAttributes(policy, { price: string('10') })).toBe(false);
      expect(matchesBody(policy, { price: '10' })).toBe(false);
    });
  });

  it('a plain number in the list matches numerically ("metricId": [1234, 4321])', () => {
    const policy = { metricId: [1234, 4321] };
    expect(matchesAttributes(policy, { metricId: number('1234.0') })).toBe(true);
    expect(matchesBody(policy, { metricId: 4321 })).toBe(true);
    expect(matchesBody(policy, { metricId: 1000 })).toBe(false);
  });
});

// "Key matching" (attribute-key-matching)
describe('Key matching', () => {
  const withStore = {
    store: string('fans'),
    customer_interests: stringArray(['baseball', 'basketball']),
  };
  const withoutStore = { customer_interests: stringArray(['baseball', 'basketball']) };
  const bodyWithStore = { store: 'fans', customer_interests: ['baseball', 'basketball'] };
  const bodyWithoutStore = { customer_interests: ['baseball', 'basketball'] };

  it('"exists": true matches messages that include the key', () => {
    const policy = { store: [{ exists: true }] };
    expect(matchesAttributes(policy, withStore)).toBe(true);
    expect(matchesBody(policy, bodyWithStore)).toBe(true);
    expect(matchesAttributes(policy, withoutStore)).toBe(false);
    expect(matchesBody(policy, bodyWithoutStore)).toBe(false);
  });

  it('"exists": false matches messages that do not include the key', () => {
    const policy = { store: [{ exists: false }] };
    expect(matchesAttributes(policy, withStore)).toBe(false);
    expect(matchesBody(policy, bodyWithStore)).toBe(false);
    expect(matchesAttributes(policy, withoutStore)).toBe(true);
    expect(matchesBody(policy, bodyWithoutStore)).toBe(true);
  });

  it('"exists": false does not match an empty set of attributes', () => {
    const policy = { store: [{ exists: false }] };
    expect(matchesAttributes(policy, {})).toBe(false);
    expect(matchesBody(policy, {})).toBe(false);
  });

  it('"exists": true needs a non-null, non-empty value', () => {
    const policy = { store: [{ exists: true }] };
    expect(matchesBody(policy, { store: null, other: 1 })).toBe(false);
    expect(matchesBody(policy, { store: '', other: 1 })).toBe(false);
    expect(matchesBody(policy, { store: [], other: 1 })).toBe(false);
  });

  it('"exists" works on leaf nodes only, not on intermediate objects', () => {
    const policy = { finding: [{ exists: true }] };
    expect(matchesBody(policy, { finding: { region: 'eu-west-1' } })).toBe(false);
    expect(matchesBody(policy, { finding: 'high' })).toBe(true);
  });
});

// "AND/OR logic"
describe('AND/OR logic', () => {
  it('AND logic: every key must match', () => {
    const policy = { customer_interests: ['rugby'], price_usd: [{ numeric: ['>', 100] }] };
    const message = (interest: string, price: string) => ({
      customer_interests: string(interest),
      price_usd: number(price),
    });
    expect(matchesAttributes(policy, message('rugby', '150'))).toBe(true);
    expect(matchesAttributes(policy, message('rugby', '100'))).toBe(false);
    expect(matchesAttributes(policy, message('football', '150'))).toBe(false);
    expect(matchesBody(policy, { customer_interests: 'rugby', price_usd: 101 })).toBe(true);
  });

  it.each([
    ['rugby', true],
    ['football', true],
    ['baseball', true],
    ['tennis', false],
  ])('OR logic: ["rugby", "football", "baseball"] with %s -> %s', (value, expected) => {
    const policy = { customer_interests: ['rugby', 'football', 'baseball'] };
    expect(matchesAttributes(policy, { customer_interests: string(value) })).toBe(expected);
  });

  describe('OR operator', () => {
    const standard = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    };

    it('"source" && ("metricName" || "namespace") over message attributes', () => {
      const source = string('aws.cloudwatch');
      expect(matchesAttributes(standard, { source, metricName: string('CPUUtilization') })).toBe(true);
      expect(matchesAttributes(standard, { source, namespace: string('AWS/EC2') })).toBe(true);
      expect(matchesAttributes(standard, { source })).toBe(false);
      expect(matchesAttributes(standard, { metricName: string('CPUUtilization') })).toBe(false);
    });

    it('"source" && ("metricName" || "namespace") over message bodies', () => {
      const source = 'aws.cloudwatch';
      expect(matchesBody(standard, { source, metricName: 'CPUUtilization' })).toBe(true);
      expect(matchesBody(standard, { source, namespace: 'AWS/EC2' })).toBe(true);
      expect(matchesBody(standard, { source, namespace: 'AWS/ES' })).toBe(false);
    });

    it('accepts the guide\'s policy with a nested $or (total combination 7)', () => {
      const policy = {
        source: ['aws.cloudwatch'],
        $or: [
          { metricName: ['CPUUtilization', 'ReadLatency'] },
          {
            metricType: ['MetricType'],
            $or: [{ metricId: [1234, 4321] }, { spaceId: [1000, 2000, 3000] }],
          },
        ],
      };
      const source = string('aws.cloudwatch');
      const metricType = string('MetricType');
      expect(matchesAttributes(policy, { source, metricName: string('ReadLatency') })).toBe(true);
      expect(matchesAttributes(policy, { source, metricType, spaceId: number('2000') })).toBe(true);
      expect(matchesAttributes(policy, { source, metricType })).toBe(false);
      expect(matchesAttributes(policy, { source, metricId: number('1234') })).toBe(false);
    });

    it('counts $or complexity as the sum of each branch\'s product', () => {
      // (source * metricName) + (source * metricType * metricId) + (source * metricType * spaceId)
      const policy = (metricNames: number) => ({
        source: values('source', 5),
        $or: [
          { metricName: values('name', metricNames) },
          {
            metricType: values('type', 2),
            $or: [{ metricId: values('id', 2) }, { spaceId: values('space', 5) }],
          },
        ],
      });
      // 5*16 + 5*2*2 + 5*2*5 = 150; with 17 metric names it is 155.
      expect(() => parseFilterPolicy(policy(16), 'MessageAttributes')).not.toThrow();
      expect(parseError(policy(17)).reason).toBe('Filter policy is too complex');
    });

    it('accepts the guide\'s nested body policy (combination 32), matching inside "detail"', () => {
      const policy = {
        $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
        detail: {
          scope: ['Service'],
          $or: [{ source: ['aws.cloudwatch'] }, { type: ['CloudWatch Alarm State Change'] }],
        },
      };
      const metricName = 'CPUUtilization';
      const source = 'aws.cloudwatch';
      const alarm = { scope: 'Service', type: 'CloudWatch Alarm State Change' };
      expect(matchesBody(policy, { metricName, detail: { scope: 'Service', source } })).toBe(true);
      expect(matchesBody(policy, { namespace: 'AWS/ES', detail: alarm })).toBe(true);
      expect(matchesBody(policy, { metricName, detail: { source } })).toBe(false);
      expect(matchesBody(policy, { metricName, scope: 'Service', source })).toBe(false);
    });

    it('weighs nested keys by their nesting level when counting $or complexity', () => {
      // The guide's 32-combination shape with 3 metric names and 9 namespaces:
      // (3 + 9) * (scope 1*2) * (source 1*2 + type 1*2) = 96. A second scope value doubles the
      // nested factor: (3 + 9) * (2*2) * 4 = 192, over the limit.
      const policy = (scopes: string[]) => ({
        $or: [{ metricName: values('m', 3) }, { namespace: values('n', 9) }],
        detail: { scope: scopes, $or: [{ source: ['a'] }, { type: ['b'] }] },
      });
      expect(() => parseFilterPolicy(policy(['Service']), 'MessageBody')).not.toThrow();
      const error = parseError(policy(['Service', 'Other']), 'MessageBody');
      expect(error.reason).toBe('Filter policy is too complex');
    });

    it('treats "$or" as an ordinary key when an alternative uses a reserved keyword', () => {
      const policy = { $or: [{ prefix: 'abc' }, { suffix: 'xyz' }] };
      expect(matchesAttributes(policy, { $or: string('abc-123') })).toBe(true);
      expect(matchesAttributes(policy, { other: string('abc-123') })).toBe(false);
      // The guide's own example is then an ordinary key whose "numeric" expression is malformed.
      expect(parseError({ $or: [{ numeric: 123 }, { prefix: 'abc' }] }).reason).toBe(
        'Value of numeric must be an array.',
      );
    });

    it('treats "$or" as an ordinary key when it has fewer than two objects', () => {
      expect(parseError({ $or: [{ store: ['a'] }] }).reason).toBe('Unrecognized match type store');
    });
  });
});

// "Filter policy constraints in Amazon SNS"
describe('Filter policy constraints', () => {
  it('accepts the guide\'s 3 x 1 x 2 = 6 policy', () => {
    const policy = {
      key_a: ['value_one', 'value_two', 'value_three'],
      key_b: ['value_one'],
      key_c: ['value_one', 'value_two'],
    };
    const attributes = {
      key_a: string('value_two'),
      key_b: string('value_one'),
      key_c: string('value_one'),
    };
    expect(matchesAttributes(policy, attributes)).toBe(true);
  });

  it('accepts exactly 150 combinations and rejects 151', () => {
    expect(() => parseFilterPolicy({ key: values('v', 150) }, 'MessageAttributes')).not.toThrow();
    expect(parseError({ key: values('v', 151) }).reason).toBe('Filter policy is too complex');
    expect(parseError({ key1: values('v', 100), key2: values('w', 2) }).reason).toBe(
      'Filter policy is too complex',
    );
  });

  it('accepts the guide\'s nested policy (3 x 4 x 2 x 3 = 72) and weighs nesting depth', () => {
    const nested = (keyEValues: number) => ({
      key_a: { key_b: { key_c: values('c', 4) } },
      key_d: { key_e: values('e', keyEValues) },
    });
    expect(() => parseFilterPolicy(nested(3), 'MessageBody')).not.toThrow();
    // 3 x 4 x 2 x 7 = 168, although the flat equivalent would only be 4 x 7 = 28.
    expect(parseError(nested(7), 'MessageBody').reason).toBe('Filter policy is too complex');
    const flat = { key_c: values('c', 4), key_e: values('e', 7) };
    expect(() => parseFilterPolicy(flat, 'MessageBody')).not.toThrow();
  });

  it('allows five keys and rejects six in attribute scope', () => {
    const keys = (count: number) =>
      Object.fromEntries(values('key', count).map((key) => [key, ['value']]));
    expect(() => parseFilterPolicy(keys(5), 'MessageAttributes')).not.toThrow();
    expect(parseError(keys(6)).reason).toBe('Filter policy can not have more than 5 keys');
  });

  it('counts only top-level keys for payload-based filtering (the guide\'s Example 1)', () => {
    const policy = {
      state: ['SUCCESS'],
      severity: [{ exists: true }],
      message: [{ exists: true }],
      finding: {
        standard_control: [{ exists: true }],
        region: [{ exists: true }],
        account: [{ exists: true }],
      },
    };
    expect(() => parseFilterPolicy(policy, 'MessageBody')).not.toThrow();
    expect(parseError({ ...policy, a: ['x'], b: ['y'] }, 'MessageBody').reason).toBe(
      'Filter policy can not have more than 5 keys',
    );
  });

  it('counts the keys of each top-level $or alternative', () => {
    const policy = {
      a: ['1'],
      b: ['1'],
      c: ['1'],
      $or: [{ d: ['1'] }, { e: ['1'], f: ['1'], g: ['1'] }],
    };
    expect(parseError(policy).reason).toBe('Filter policy can not have more than 5 keys');
  });

  it('rejects a nested policy for attribute-based filtering', () => {
    const error = parseError({ object: { key: [{ prefix: 'auto-' }] } });
    expect(error.reason).toBe(
      'Filter policy scope MessageAttributes does not support nested filter policy',
    );
    expect(error.message).toContain('"object"');
  });

  it('accepts numeric values from -10^9 to 10^9 and rejects values outside', () => {
    const widest = { n: [{ numeric: ['>=', -1_000_000_000, '<=', 1_000_000_000] }] };
    expect(() => parseFilterPolicy(widest, 'MessageBody')).not.toThrow();
    const outOfRange = 'outside the supported range';
    expect(parseError({ n: [{ numeric: ['>', 1_000_000_001] }] }).reason).toContain(outOfRange);
    expect(parseError({ n: [5_000_000_000] }).reason).toContain(outOfRange);
  });

  it('compares numbers with five digits of accuracy after the decimal point', () => {
    const policy = { n: [{ numeric: ['=', 1.000001] }] };
    expect(matchesBody(policy, { n: 1.000004 })).toBe(true);
    expect(matchesBody(policy, { n: 1.00001 })).toBe(false);
  });

  it('allows strings, numbers, true, false and null as values', () => {
    const policy = { flag: [true], missing: [null], count: [3], name: ['x'] };
    expect(matchesBody(policy, { flag: true, missing: null, count: 3, name: 'x' })).toBe(true);
    expect(matchesBody(policy, { flag: false, missing: null, count: 3, name: 'x' })).toBe(false);
    expect(matchesBody(policy, { flag: 'true', missing: null, count: 3, name: 'x' })).toBe(false);
  });

  it('rejects a policy larger than 256 KB', () => {
    const large = JSON.stringify({ key: ['x'.repeat(256 * 1024)] });
    expect(parseError(large).reason).toBe('Filter policy must not be larger than 256 KB');
    expect(parseError(JSON.parse(large)).reason).toBe('Filter policy must not be larger than 256 KB');
  });

  it('compares policies only to String, String.Array and Number attributes; Binary is ignored', () => {
    // A StringValue alongside (as an adapter might carry base64) must not make it filterable.
    const binary: FilterableAttributeValue = {
      DataType: 'Binary',
      StringValue: 'AQ==',
      BinaryValue: new Uint8Array([1]),
    };
    const exists = parseFilterPolicy({ file: [{ exists: true }] }, 'MessageAttributes');
    const attributes = { file: binary, store: { DataType: 'String', StringValue: 'fans' } };
    expect(matchesFilterPolicy(exists, { attributes, body: '' })).toBe(false);
    const absent = parseFilterPolicy({ file: [{ exists: false }] }, 'MessageAttributes');
    expect(matchesFilterPolicy(absent, { attributes, body: '' })).toBe(true);
  });

  it('keeps String and Number attributes apart', () => {
    expect(matchesAttributes({ price_usd: ['210.75'] }, { price_usd: number('210.75') })).toBe(false);
    expect(matchesAttributes({ price_usd: [210.75] }, { price_usd: number('210.75') })).toBe(true);
    expect(matchesAttributes({ price_usd: [210.75] }, { price_usd: string('210.75') })).toBe(false);
  });
});

// "Amazon SNS message filtering" and "Amazon SNS subscription filter policy scope"
describe('Message attribute and message body filtering', () => {
  const policy = { store: ['example_corp'] };

  it('applies the policy to the attributes or to the body according to the scope', () => {
    const attributes = toApiAttributes({ store: string('example_corp') });
    const body = JSON.stringify({ store: 'other_corp' });
    const byAttributes = parseFilterPolicy(policy, 'MessageAttributes');
    const byBody = parseFilterPolicy(policy, 'MessageBody');
    expect(matchesFilterPolicy(byAttributes, { attributes, body })).toBe(true);
    expect(matchesFilterPolicy(byBody, { attributes, body })).toBe(false);
  });

  it('never matches a body policy when the body is not a well-formed JSON object', () => {
    expect(matchesBody(policy, 'store=example_corp')).toBe(false);
    expect(matchesBody(policy, '["example_corp"]')).toBe(false);
    expect(matchesBody({ store: [{ exists: false }] }, 'plain text')).toBe(false);
  });

  it('matches nested keys in the body, within one element of an array of objects', () => {
    const nested = { Records: { s3: { object: { key: [{ prefix: 'auto-' }] } } } };
    const record = (key: string) => ({ eventSource: 'aws:s3', s3: { object: { key, size: 17 } } });
    expect(matchesBody(nested, { Records: [record('home-1.xml'), record('auto-2.xml')] })).toBe(true);
    expect(matchesBody(nested, { Records: [record('home-1.xml')] })).toBe(false);
    expect(matchesBody(nested, { Records: { s3: { object: { key: 'auto-3.xml' } } } })).toBe(true);

    const twoFields = { detail: { a: ['1'], b: ['2'] } };
    expect(matchesBody(twoFields, { detail: [{ a: '1', b: '9' }, { a: '9', b: '2' }] })).toBe(false);
    expect(matchesBody(twoFields, { detail: [{ a: '9', b: '9' }, { a: '1', b: '2' }] })).toBe(true);
  });

  it('accepts every message with an empty policy ("{}" removes filtering)', () => {
    const empty = parseFilterPolicy('{}', 'MessageBody');
    expect(matchesFilterPolicy(empty, { attributes: {}, body: 'not json' })).toBe(true);
    const emptyAttributes = parseFilterPolicy({}, 'MessageAttributes');
    expect(matchesFilterPolicy(emptyAttributes, { attributes: {}, body: '' })).toBe(true);
  });

  it('accepts the policy as a JSON string, as the API carries it', () => {
    const parsed = parseFilterPolicy('{"store": ["example_corp"]}', 'MessageAttributes');
    const attributes = toApiAttributes({ store: string('example_corp') });
    expect(matchesFilterPolicy(parsed, { attributes, body: '' })).toBe(true);
  });
});

// Validation errors. Where SNS's reason for the same mistake is known (from its InvalidParameter
// responses) the text is the same; the wildcard, anything-but list and CIDR range texts are ours.
describe('Validation errors', () => {
  it.each([
    [
      'a key whose value is neither an object nor an array',
      { key: 'value' },
      '"key" must be an object or an array',
    ],
    ['an empty array', { key: [] }, 'Empty arrays are not allowed'],
    [
      'a nested array',
      { key: [['value']] },
      'Match value must be String, number, true, false, or null',
    ],
    [
      'an unknown operator',
      { key: [{ 'wrong-operator': true }] },
      'Unrecognized match type wrong-operator',
    ],
    [
      'two operators in one expression',
      { key: [{ suffix: 'a', prefix: 'b' }] },
      'Only one key allowed in match expression',
    ],
    ['a numeric suffix', { key: [{ suffix: 100 }] }, 'suffix match pattern must be a string'],
    ['a null prefix', { key: [{ prefix: null }] }, 'prefix match pattern must be a string'],
    [
      'a list for equals-ignore-case',
      { key: [{ 'equals-ignore-case': ['a'] }] },
      'equals-ignore-case match pattern must be a string',
    ],
    [
      'a non-boolean exists',
      { key: [{ exists: 'no' }] },
      'exists match pattern must be either true or false.',
    ],
    [
      'an unsupported anything-but operator',
      { key: [{ 'anything-but': { exists: false } }] },
      'Unsupported anything-but pattern: exists',
    ],
    [
      'a non-string anything-but prefix',
      { key: [{ 'anything-but': { prefix: false } }] },
      'prefix match pattern must be a string',
    ],
    [
      'a boolean in anything-but',
      { key: [{ 'anything-but': [true] }] },
      'anything-but values must be strings or numbers',
    ],
    [
      'consecutive wildcards',
      { key: [{ wildcard: 'a**b' }] },
      'wildcard: consecutive wildcard characters are not allowed',
    ],
  ])('rejects %s', (_label, policy, reason) => {
    expect(parseError(policy).reason).toBe(reason);
  });

  it.each([
    [[], 'Invalid member in numeric match: ]'],
    [['operator'], 'Unrecognized numeric range operator: operator'],
    [[1, '<='], 'Invalid member in numeric match: 1'],
    [['=', '000'], 'Value of equals must be numeric'],
    [['>='], 'Value of >= must be numeric'],
    [['<', 100, '>', 10], 'Too many elements in numeric expression'],
    [['>=', 1, '>', 2], 'Bad numeric range operator: >'],
    [['>', 3, '<', 1], 'Bottom must be less than top'],
    [['>', 20, '<='], 'Value of <= must be numeric'],
    [['>', 20, 30], 'Bad value in numeric range: 30'],
    [['>', 20, 'test'], 'Bad numeric range operator: test'],
    [['>', '20', '<', '30'], 'Value of > must be numeric'],
    [['>', 20, '<', '30'], 'Value of < must be numeric'],
    [['>', 20, '<', 30, '<', 50], 'Too many terms in numeric range expression'],
  ])('rejects the numeric expression %j', (expression, reason) => {
    expect(parseError({ key: [{ numeric: expression }] }).reason).toBe(reason);
  });

  it('rejects a numeric expression that is not an array', () => {
    expect(parseError({ key: [{ numeric: 5 }] }).reason).toBe('Value of numeric must be an array.');
  });

  it.each([
    ['10.0.0.0', "Malformed CIDR, one '/' required"],
    ['10.0.0.0/x', 'Malformed CIDR, mask bits must be an integer'],
    ['10.0.0/24', 'Nonstandard IP address: 10.0.0'],
    ['10.0.0.0/33', 'Malformed CIDR, mask bits must be at most 32'],
  ])('rejects the CIDR "%s"', (cidr, reason) => {
    expect(parseError({ source_ip: [{ cidr }] }).reason).toBe(reason);
  });

  it('names the offending key in the message', () => {
    const error = parseError({ detail: { scope: [] } }, 'MessageBody');
    expect(error.message).toBe('Empty arrays are not allowed (at "detail.scope")');
    expect(error.path).toBe('detail.scope');
  });

  it('rejects a policy that is not a JSON object, or not JSON at all', () => {
    expect(parseError(['store']).reason).toBe('Filter policy must be a JSON object');
    expect(parseError('{"store": ').reason).toBe('Filter policy is not valid JSON');
  });

  it('rejects an unknown scope', () => {
    expect(parseError({ store: ['a'] }, 'RandomValue' as FilterPolicyScope).reason).toBe(
      'FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes',
    );
  });
});

function values(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_unused, index) => `${prefix}${index}`);
}
