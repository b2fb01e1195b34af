import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net';

/**
 * SNS subscription filter policies for the local cloud, in core because Lambda's event filtering
 * (streams/event-filter.ts) uses the same engine: both are AWS Event Ruler patterns.
 *
 * `parseFilterPolicy` does what SNS does when a policy is attached to a subscription: it rejects
 * invalid policies and normalises a valid one once. `matchesFilterPolicy` is the hot path, run for
 * every published message and every subscription, so it only walks the normalised form.
 *
 * Semantics follow the Amazon SNS developer guide ("Amazon SNS subscription filter policies" and
 * the pages under it). Where the guide is silent we follow the model SNS evidently uses
 * underneath (its validation messages are those of AWS Event Ruler, the EventBridge pattern
 * engine): the message is a JSON object, a key's list of conditions is an OR, and a condition
 * holds when any one of the key's values satisfies it.
 */

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A message attribute as the SNS/SQS APIs carry it (same field names as SDK v3). */
export interface FilterableAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** The parts of a published message a filter policy can look at. */
export interface FilterableMessage {
  attributes: Record<string, FilterableAttributeValue>;
  body: string;
}

/**
 * Raised for a policy SNS would refuse. `reason` uses the wording SNS returns where it is known;
 * the API layer adds its own "Invalid parameter: ..." prefix, which differs per action.
 */
export class InvalidFilterPolicyError extends Error {
  constructor(
    readonly reason: string,
    readonly path?: string,
  ) {
    super(path === undefined ? reason : `${reason} (at "${path}")`);
    this.name = 'InvalidFilterPolicyError';
  }
}

// ---------------------------------------------------------------------------------------------
// The normalised policy
// ---------------------------------------------------------------------------------------------

/** Numbers are compared as integer multiples of 10^-5: SNS keeps five decimal digits. */
type ComparableNumber = number;

interface NumericBound {
  readonly value: ComparableNumber;
  readonly inclusive: boolean;
}

/** A condition on one value of a key. */
export type ValueCondition =
  | { readonly kind: 'exact'; readonly value: string | boolean | null }
  | { readonly kind: 'exact-number'; readonly value: ComparableNumber }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'suffix'; readonly suffix: string }
  | { readonly kind: 'equals-ignore-case'; readonly lowerCased: string }
  | { readonly kind: 'wildcard'; readonly pattern: RegExp }
  | { readonly kind: 'numeric'; readonly lower?: NumericBound; readonly upper?: NumericBound }
  | { readonly kind: 'cidr'; readonly network: BlockList }
  | {
      readonly kind: 'anything-but';
      readonly strings: ReadonlySet<string>;
      readonly numbers: ReadonlySet<ComparableNumber>;
    }
  | { readonly kind: 'anything-but-prefix'; readonly prefix: string }
  | { readonly kind: 'anything-but-suffix'; readonly suffix: string }
  | { readonly kind: 'anything-but-wildcard'; readonly pattern: RegExp };

/** `exists` looks at whether the key is there at all, not at any one value. */
export interface ExistsCondition {
  readonly kind: 'exists';
  readonly exists: boolean;
}

export type Condition = ValueCondition | ExistsCondition;

export type FieldPattern =
  | { readonly kind: 'leaf'; readonly key: string; readonly conditions: readonly Condition[] }
  | { readonly kind: 'nested'; readonly key: string; readonly pattern: ObjectPattern };

/** Every field must match; when the object had an `$or`, one of its alternatives must match too. */
export interface ObjectPattern {
  readonly fields: readonly FieldPattern[];
  readonly anyOf?: readonly ObjectPattern[];
}

export interface FilterPolicy {
  readonly scope: FilterPolicyScope;
  readonly root: ObjectPattern;
}

// ---------------------------------------------------------------------------------------------
// Limits from "Filter policy constraints in Amazon SNS"
// ---------------------------------------------------------------------------------------------

const MAX_POLICY_BYTES = 256 * 1024;
const MAX_TOP_LEVEL_KEYS = 5;
const MAX_COMBINATIONS = 150;
const NUMERIC_LIMIT = 1_000_000_000;
const DECIMAL_SCALE = 100_000;

/** Keys that make an object a match expression; an `$or` naming one of them is not an `$or`. */
const OPERATORS: ReadonlySet<string> = new Set([
  'anything-but',
  'cidr',
  'equals-ignore-case',
  'exists',
  'numeric',
  'prefix',
  'suffix',
  'wildcard',
]);

// ---------------------------------------------------------------------------------------------
// Parsing and validation
// ---------------------------------------------------------------------------------------------

type JsonObject = { readonly [key: string]: unknown };

interface ParseContext {
  readonly scope: FilterPolicyScope;
  /** Dotted path of the object being parsed, for error messages; empty at the root. */
  readonly path: string;
}

/**
 * Validates a filter policy as SNS does and normalises it for `matchesFilterPolicy`.
 * Accepts the policy as the API carries it (a JSON string) or already parsed (as in a template).
 */
export function parseFilterPolicy(policy: unknown, scope: FilterPolicyScope): FilterPolicy {
  if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    throw new InvalidFilterPolicyError(
      `FilterPolicyScope: Invalid value [${String(scope)}]. ` +
        'Please use either MessageBody or MessageAttributes',
    );
  }
  const document = typeof policy === 'string' ? parsePolicyText(policy) : policy;
  if (typeof policy !== 'string') {
    checkPolicySize(serialise(document));
  }
  if (!isJsonObject(document)) {
    throw new InvalidFilterPolicyError('Filter policy must be a JSON object');
  }

  const root = parseObjectPattern(document, { scope, path: '' });

  // Complexity first: it bounds the number of $or branches the key count below enumerates.
  if (countCombinations(root, 1) > MAX_COMBINATIONS) {
    throw new InvalidFilterPolicyError('Filter policy is too complex');
  }
  if (maxTopLevelKeys(root) > MAX_TOP_LEVEL_KEYS) {
    throw new InvalidFilterPolicyError(
      `Filter policy can not have more than ${MAX_TOP_LEVEL_KEYS} keys`,
    );
  }
  return { scope, root };
}

function parsePolicyText(text: string): unknown {
  checkPolicySize(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidFilterPolicyError('Filter policy is not valid JSON');
  }
}

function serialise(document: unknown): string {
  try {
    return JSON.stringify(document) ?? '';
  } catch {
    throw new InvalidFilterPolicyError('Filter policy is not valid JSON');
  }
}

function checkPolicySize(text: string): void {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    throw new InvalidFilterPolicyError('Filter policy must not be larger than 256 KB');
  }
}

function parseObjectPattern(source: JsonObject, context: ParseContext): ObjectPattern {
  const fields: FieldPattern[] = [];
  let anyOf: ObjectPattern[] | undefined;
  for (const [key, value] of Object.entries(source)) {
    if (isOrOperator(key, value)) {
      anyOf = value.map((alternative) => parseAlternative(alternative, context));
    } else {
      fields.push(parseField(key, value, context));
    }
  }
  return anyOf === undefined ? { fields } : { fields, anyOf };
}

/**
 * "AND/OR logic": `$or` is only an operator when it holds an array of at least two objects, none
 * of which uses an operator name as a key. Otherwise it is an ordinary key called "$or".
 */
function isOrOperator(key: string, value: unknown): value is JsonObject[] {
  if (key !== '$or' || !Array.isArray(value) || value.length < 2) {
    return false;
  }
  return value.every(
    (alternative) =>
      isJsonObject(alternative) && Object.keys(alternative).every((name) => !OPERATORS.has(name)),
  );
}

function parseAlternative(alternative: JsonObject, context: ParseContext): ObjectPattern {
  // An empty alternative would make the whole $or vacuously true; treat it as a mistake.
  if (Object.keys(alternative).length === 0) {
    throw new InvalidFilterPolicyError(
      '$or alternatives must not be empty objects',
      pathOf(context, '$or'),
    );
  }
  return parseObjectPattern(alternative, context);
}

function parseField(key: string, value: unknown, context: ParseContext): FieldPattern {
  const path = pathOf(context, key);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new InvalidFilterPolicyError('Empty arrays are not allowed', path);
    }
    const conditions = value.map((entry) => parseCondition(entry, path));
    return { kind: 'leaf', key, conditions };
  }
  if (isJsonObject(value)) {
    if (context.scope === 'MessageAttributes') {
      throw new InvalidFilterPolicyError(
        'Filter policy scope MessageAttributes does not support nested filter policy',
        path,
      );
    }
    if (Object.keys(value).length === 0) {
      throw new InvalidFilterPolicyError('Nested keys must not be empty objects', path);
    }
    return { kind: 'nested', key, pattern: parseObjectPattern(value, { ...context, path }) };
  }
  throw new InvalidFilterPolicyError(`"${key}" must be an object or an array`, path);
}

function parseCondition(entry: unknown, path: string): Condition {
  if (typeof entry === 'string' || typeof entry === 'boolean' || entry === null) {
    return { kind: 'exact', value: entry };
  }
  if (typeof entry === 'number') {
    return { kind: 'exact-number', value: parsePolicyNumber(entry, path) };
  }
  if (isJsonObject(entry)) {
    return parseMatchExpression(entry, path);
  }
  throw new InvalidFilterPolicyError('Match value must be String, number, true, false, or null', path);
}

function parseMatchExpression(expression: JsonObject, path: string): Condition {
  const [operator, operand] = singleEntry(expression, path);
  switch (operator) {
    case 'prefix':
      return { kind: 'prefix', prefix: requireString(operator, operand, path) };
    case 'suffix':
      return { kind: 'suffix', suffix: requireString(operator, operand, path) };
    case 'equals-ignore-case':
      return {
        kind: 'equals-ignore-case',
        lowerCased: requireString(operator, operand, path).toLowerCase(),
      };
    case 'wildcard':
      return {
        kind: 'wildcard',
        pattern: compileWildcard(requireString(operator, operand, path), path),
      };
    case 'exists':
      if (typeof operand !== 'boolean') {
        throw new InvalidFilterPolicyError('exists match pattern must be either true or false.', path);
      }
      return { kind: 'exists', exists: operand };
    case 'numeric':
      return parseNumeric(operand, path);
    case 'cidr':
      return parseCidr(operand, path);
    case 'anything-but':
      return parseAnythingBut(operand, path);
    default:
      throw new InvalidFilterPolicyError(`Unrecognized match type ${operator}`, path);
  }
}

function singleEntry(expression: JsonObject, path: string): [string, unknown] {
  const entries = Object.entries(expression);
  const first = entries[0];
  if (first === undefined) {
    throw new InvalidFilterPolicyError('Match expression must not be empty', path);
  }
  if (entries.length > 1) {
    throw new InvalidFilterPolicyError('Only one key allowed in match expression', path);
  }
  return first;
}

function requireString(operator: string, operand: unknown, path: string): string {
  if (typeof operand !== 'string') {
    throw new InvalidFilterPolicyError(`${operator} match pattern must be a string`, path);
  }
  return operand;
}

/** "Numeric matching – the value can range from -10^9 to 10^9, with five digits of accuracy". */
function parsePolicyNumber(value: number, path: string): ComparableNumber {
  if (!Number.isFinite(value) || Math.abs(value) > NUMERIC_LIMIT) {
    throw new InvalidFilterPolicyError(
      `Numeric value ${value} is outside the supported range -1000000000 to 1000000000`,
      path,
    );
  }
  return toComparable(value);
}

function toComparable(value: number): ComparableNumber {
  return Math.round(value * DECIMAL_SCALE);
}

/**
 * `["=", n]`, a single bound (`["<", n]`), or a range: a lower bound (`>`/`>=`) followed by an
 * upper bound (`<`/`<=`) with bottom < top. Error texts are the ones SNS returns.
 */
function parseNumeric(operand: unknown, path: string): ValueCondition {
  if (!Array.isArray(operand)) {
    throw new InvalidFilterPolicyError('Value of numeric must be an array.', path);
  }
  const [operator, value, secondOperator, secondValue, ...rest] = operand as unknown[];
  if (operand.length === 0) {
    throw new InvalidFilterPolicyError('Invalid member in numeric match: ]', path);
  }
  if (typeof operator !== 'string') {
    throw new InvalidFilterPolicyError(`Invalid member in numeric match: ${String(operator)}`, path);
  }
  if (!['=', '<', '<=', '>', '>='].includes(operator)) {
    throw new InvalidFilterPolicyError(`Unrecognized numeric range operator: ${operator}`, path);
  }
  const first = requireOperand(operator, value, path);
  const bound = { value: first, inclusive: operator !== '<' && operator !== '>' };

  if (operand.length === 2) {
    if (operator === '=') {
      return { kind: 'numeric', lower: bound, upper: bound };
    }
    if (operator === '>' || operator === '>=') {
      return { kind: 'numeric', lower: bound };
    }
    return { kind: 'numeric', upper: bound };
  }

  if (operator !== '>' && operator !== '>=') {
    throw new InvalidFilterPolicyError('Too many elements in numeric expression', path);
  }
  if (typeof secondOperator !== 'string') {
    throw new InvalidFilterPolicyError(`Bad value in numeric range: ${String(secondOperator)}`, path);
  }
  if (secondOperator !== '<' && secondOperator !== '<=') {
    throw new InvalidFilterPolicyError(`Bad numeric range operator: ${secondOperator}`, path);
  }
  const second = requireOperand(secondOperator, secondValue, path);
  if (second <= first) {
    throw new InvalidFilterPolicyError('Bottom must be less than top', path);
  }
  if (rest.length > 0) {
    throw new InvalidFilterPolicyError('Too many terms in numeric range expression', path);
  }
  return {
    kind: 'numeric',
    lower: bound,
    upper: { value: second, inclusive: secondOperator === '<=' },
  };
}

function requireOperand(operator: string, value: unknown, path: string): ComparableNumber {
  if (typeof value !== 'number') {
    const name = operator === '=' ? 'equals' : operator;
    throw new InvalidFilterPolicyError(`Value of ${name} must be numeric`, path);
  }
  return parsePolicyNumber(value, path);
}

function parseCidr(operand: unknown, path: string): ValueCondition {
  const text = requireString('cidr', operand, path);
  const parts = text.split('/');
  const [address, maskText] = parts;
  if (parts.length !== 2 || address === undefined || maskText === undefined) {
    throw new InvalidFilterPolicyError("Malformed CIDR, one '/' required", path);
  }
  if (!/^\d+$/.test(maskText)) {
    throw new InvalidFilterPolicyError('Malformed CIDR, mask bits must be an integer', path);
  }
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (family === undefined) {
    throw new InvalidFilterPolicyError(`Nonstandard IP address: ${address}`, path);
  }
  const maskBits = Number(maskText);
  const maxBits = family === 'ipv4' ? 32 : 128;
  if (maskBits > maxBits) {
    throw new InvalidFilterPolicyError(`Malformed CIDR, mask bits must be at most ${maxBits}`, path);
  }
  const network = new BlockList();
  network.addSubnet(address, maskBits, family);
  return { kind: 'cidr', network };
}

/**
 * "anything-but" takes a string, a number, a list of them, or one nested string operator. The
 * guide documents `prefix`, `suffix` and `wildcard` in that nested position.
 */
function parseAnythingBut(operand: unknown, path: string): ValueCondition {
  if (isJsonObject(operand)) {
    const [operator, pattern] = singleEntry(operand, path);
    switch (operator) {
      case 'prefix':
        return { kind: 'anything-but-prefix', prefix: requireString(operator, pattern, path) };
      case 'suffix':
        return { kind: 'anything-but-suffix', suffix: requireString(operator, pattern, path) };
      case 'wildcard':
        return {
          kind: 'anything-but-wildcard',
          pattern: compileWildcard(requireString(operator, pattern, path), path),
        };
      default:
        throw new InvalidFilterPolicyError(`Unsupported anything-but pattern: ${operator}`, path);
    }
  }

  const excluded = Array.isArray(operand) ? operand : [operand];
  if (excluded.length === 0) {
    throw new InvalidFilterPolicyError('Empty arrays are not allowed', path);
  }
  const strings = new Set<string>();
  const numbers = new Set<ComparableNumber>();
  for (const value of excluded) {
    if (typeof value === 'string') {
      strings.add(value);
    } else if (typeof value === 'number') {
      numbers.add(parsePolicyNumber(value, path));
    } else {
      throw new InvalidFilterPolicyError('anything-but values must be strings or numbers', path);
    }
  }
  return { kind: 'anything-but', strings, numbers };
}

/**
 * `*` matches any run of characters (including none). As in EventBridge, `\*` and `\\` stand for
 * a literal star and backslash, and two wildcards in a row are refused.
 */
function compileWildcard(pattern: string, path: string): RegExp {
  let source = '';
  let previousWasWildcard = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern.charAt(index);
    if (character === '\\') {
      const escaped = pattern.charAt(index + 1);
      if (escaped !== '*' && escaped !== '\\') {
        throw new InvalidFilterPolicyError(
          'wildcard: a backslash may only escape "*" or "\\"',
          path,
        );
      }
      source += escapeRegExp(escaped);
      index += 1;
      previousWasWildcard = false;
    } else if (character === '*') {
      if (previousWasWildcard) {
        throw new InvalidFilterPolicyError(
          'wildcard: consecutive wildcard characters are not allowed',
          path,
        );
      }
      source += '.*';
      previousWasWildcard = true;
    } else {
      source += escapeRegExp(character);
      previousWasWildcard = false;
    }
  }
  // `s` so that `*` also spans line breaks inside a value.
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * "Filter policy constraints": multiply the number of values in each array; a key nested N
 * levels deep counts N times its values (3 x 4 x 2 x 3 = 72 in the guide), and an `$or`
 * contributes the sum of its alternatives ("AND/OR logic": (1 * 2) + (1 * 1 * 2) + (1 * 1 * 3)).
 */
function countCombinations(pattern: ObjectPattern, depth: number): number {
  let total = 1;
  for (const field of pattern.fields) {
    if (field.kind === 'leaf') {
      total *= field.conditions.length * depth;
    } else {
      total *= countCombinations(field.pattern, depth + 1);
    }
  }
  if (pattern.anyOf !== undefined) {
    let alternatives = 0;
    for (const alternative of pattern.anyOf) {
      alternatives += countCombinations(alternative, depth);
    }
    total *= alternatives;
  }
  return total;
}

/**
 * "A filter policy can have a maximum of five keys", counting top-level keys only (nested keys
 * in a message body policy do not count). An `$or` at the top level is counted per alternative:
 * each way of satisfying the policy may name at most five top-level keys.
 */
function maxTopLevelKeys(root: ObjectPattern): number {
  let max = 0;
  for (const keys of topLevelKeySets(root)) {
    max = Math.max(max, keys.size);
  }
  return max;
}

function topLevelKeySets(pattern: ObjectPattern): Set<string>[] {
  const own = pattern.fields.map((field) => field.key);
  if (pattern.anyOf === undefined) {
    return [new Set(own)];
  }
  const sets: Set<string>[] = [];
  for (const alternative of pattern.anyOf) {
    for (const keys of topLevelKeySets(alternative)) {
      sets.push(new Set([...own, ...keys]));
    }
  }
  return sets;
}

function pathOf(context: ParseContext, key: string): string {
  return context.path === '' ? key : `${context.path}.${key}`;
}

function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

// ---------------------------------------------------------------------------------------------
// Matching (hot path)
// ---------------------------------------------------------------------------------------------

/** What a policy compares against: the leaves of the JSON document. */
type LeafValue = string | number | boolean | null;

/** True when SNS would deliver `message` to a subscription with this policy. */
export function matchesFilterPolicy(policy: FilterPolicy, message: FilterableMessage): boolean {
  // "{}" is how a policy is removed: the subscription then accepts every message.
  if (policy.root.fields.length === 0 && policy.root.anyOf === undefined) {
    return true;
  }
  const document =
    policy.scope === 'MessageAttributes'
      ? attributesAsDocument(message.attributes)
      : bodyAsDocument(message.body);
  // "Key matching": an empty set of attributes never matches, not even `"exists": false`.
  // A body that is not a JSON object cannot match a body policy ("Amazon SNS message filtering").
  if (document === undefined || Object.keys(document).length === 0) {
    return false;
  }
  return matchesObject(policy.root, document);
}

/**
 * Message attributes become a flat JSON document: String as a string, Number as a number,
 * String.Array as its parsed array. Binary attributes are ignored ("Filter policy constraints").
 */
function attributesAsDocument(attributes: Record<string, FilterableAttributeValue>): JsonObject {
  const document: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const value = attributeValue(attribute);
    if (value !== undefined) {
      document[name] = value;
    }
  }
  return document;
}

/** Only String and Number attributes (and their arrays) are filterable; Binary is not. */
function attributeValue(attribute: FilterableAttributeValue): unknown {
  const { DataType: dataType, StringValue: text } = attribute;
  if (text === undefined) {
    return undefined;
  }
  // The guide's numeric examples also use a "Number.Array" type, so it is read like String.Array.
  if (dataType === 'String.Array' || dataType === 'Number.Array') {
    return parseJson(text);
  }
  if (dataType === 'Number' || dataType.startsWith('Number.')) {
    const number = Number(text);
    // SNS refuses non-numeric Number attributes at publish time; there is nothing to compare.
    return text.trim() !== '' && Number.isFinite(number) ? number : undefined;
  }
  if (dataType === 'String' || dataType.startsWith('String.')) {
    return text;
  }
  return undefined;
}

function bodyAsDocument(body: string): JsonObject | undefined {
  const parsed = parseJson(body);
  return isJsonObject(parsed) ? parsed : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function matchesObject(pattern: ObjectPattern, object: JsonObject): boolean {
  for (const field of pattern.fields) {
    const value = Object.hasOwn(object, field.key) ? object[field.key] : undefined;
    const matched =
      field.kind === 'leaf'
        ? matchesConditions(field.conditions, value)
        : matchesNested(field.pattern, value);
    if (!matched) {
      return false;
    }
  }
  if (pattern.anyOf !== undefined) {
    return pattern.anyOf.some((alternative) => matchesObject(alternative, object));
  }
  return true;
}

/**
 * A nested pattern must hold within one object: when the body has an array of objects at this
 * key, one element has to satisfy the whole nested pattern (fields are not mixed across
 * elements). Where there is no object at all, only absence conditions (`"exists": false`) can hold.
 */
function matchesNested(pattern: ObjectPattern, value: unknown): boolean {
  if (isJsonObject(value)) {
    return matchesObject(pattern, value);
  }
  const candidates = Array.isArray(value) ? objectsIn(value) : [];
  if (candidates.length > 0) {
    return candidates.some((candidate) => matchesObject(pattern, candidate));
  }
  return matchesObject(pattern, {});
}

function objectsIn(values: readonly unknown[]): JsonObject[] {
  const objects: JsonObject[] = [];
  for (const value of values) {
    if (isJsonObject(value)) {
      objects.push(value);
    } else if (Array.isArray(value)) {
      objects.push(...objectsIn(value));
    }
  }
  return objects;
}

/** A key's list is an OR: one condition has to hold. */
function matchesConditions(conditions: readonly Condition[], value: unknown): boolean {
  const leaves = leafValues(value);
  for (const condition of conditions) {
    if (condition.kind === 'exists') {
      if (condition.exists === isPresent(leaves)) {
        return true;
      }
    } else if (leaves.some((leaf) => satisfies(condition, leaf))) {
      return true;
    }
  }
  return false;
}

/**
 * The values a key holds: a scalar, or every scalar in an array (String.Array elements, JSON
 * arrays). Objects are intermediate nodes, not values ("exists works only on leaf nodes").
 */
function leafValues(value: unknown): LeafValue[] {
  if (value === undefined || isJsonObject(value)) {
    return [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((element: unknown) => leafValues(element));
  }
  const isScalar =
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === null;
  return isScalar ? [value] : [];
}

/** "exists": true needs "a non-null and non-empty value". */
function isPresent(leaves: readonly LeafValue[]): boolean {
  return leaves.some((leaf) => leaf !== null && leaf !== '');
}

function satisfies(condition: ValueCondition, value: LeafValue): boolean {
  switch (condition.kind) {
    case 'exact':
      return value === condition.value;
    case 'exact-number':
      return typeof value === 'number' && toComparable(value) === condition.value;
    case 'prefix':
      return typeof value === 'string' && value.startsWith(condition.prefix);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(condition.suffix);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === condition.lowerCased;
    case 'wildcard':
      return typeof value === 'string' && condition.pattern.test(value);
    case 'numeric':
      return typeof value === 'number' && withinBounds(toComparable(value), condition);
    case 'cidr':
      return typeof value === 'string' && inNetwork(value, condition.network);
    case 'anything-but':
      return isNotExcluded(value, condition);
    case 'anything-but-prefix':
      return typeof value === 'string' && !value.startsWith(condition.prefix);
    case 'anything-but-suffix':
      return typeof value === 'string' && !value.endsWith(condition.suffix);
    case 'anything-but-wildcard':
      return typeof value === 'string' && !condition.pattern.test(value);
    default:
      return assertNever(condition);
  }
}

function withinBounds(
  value: ComparableNumber,
  { lower, upper }: { lower?: NumericBound; upper?: NumericBound },
): boolean {
  if (lower !== undefined && (lower.inclusive ? value < lower.value : value <= lower.value)) {
    return false;
  }
  if (upper !== undefined && (upper.inclusive ? value > upper.value : value >= upper.value)) {
    return false;
  }
  return true;
}

function inNetwork(value: string, network: BlockList): boolean {
  const family = isIP(value);
  if (family === 4) {
    return network.check(value, 'ipv4');
  }
  if (family === 6) {
    return network.check(value, 'ipv6');
  }
  return false;
}

function isNotExcluded(
  value: LeafValue,
  { strings, numbers }: { strings: ReadonlySet<string>; numbers: ReadonlySet<ComparableNumber> },
): boolean {
  if (typeof value === 'string') {
    return !strings.has(value);
  }
  if (typeof value === 'number') {
    return !numbers.has(toComparable(value));
  }
  return true;
}

function assertNever(value: never): never {
  throw new Error(`Unhandled filter condition: ${JSON.stringify(value)}`);
}
