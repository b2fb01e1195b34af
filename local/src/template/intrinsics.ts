import { type CfnTemplate, isRecord, TemplateError } from './template-types.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../core/aws-account.ts';
import { samResourceReference } from './sam-references.ts';

/**
 * Resolves CloudFormation intrinsic functions the way a deployment would, with local values for
 * the things only a deployment knows (resource names, ARNs, pseudo parameters).
 *
 * The resolver never guesses a resource's physical value itself: it asks `resources`, so the
 * caller decides what `!Ref OrdersTable` means locally (the local table name) and what
 * `!GetAtt UserPool.Arn` is (an ARN built from the cognito-local pool id).
 */

/** What `{ Ref: 'AWS::NoValue' }` resolves to; removed from the enclosing object or list. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface ResourceValues {
  /** `Ref` of a resource: its name, id or ARN depending on the type. */
  ref(logicalId: string): string;
  getAtt(logicalId: string, attribute: string): unknown;
  /**
   * Whether a resource the template does not declare has a local value: one the SAM transform
   * generates (`<Api>ApiKey` from an Api's `Auth.UsagePlan`) that a service registered.
   */
  hasGenerated?(logicalId: string): boolean;
}

export interface PseudoParameters {
  region: string;
  accountId: string;
  stackName: string;
  partition: string;
  urlSuffix: string;
}

export interface IntrinsicResolverOptions {
  template: CfnTemplate;
  resources: ResourceValues;
  /** Values that win over parameter defaults (like `--parameter-overrides`). */
  parameterOverrides?: Record<string, string>;
  pseudo?: Partial<PseudoParameters>;
}

export interface IntrinsicResolver {
  /** Resolves every intrinsic inside `value`, dropping `AWS::NoValue` entries. */
  resolve(value: unknown): unknown;
  /** Evaluates a named condition from the template's `Conditions`. */
  condition(name: string): boolean;
  /** A resource is active unless its `Condition` evaluates to false. */
  isActive(logicalId: string): boolean;
  readonly pseudo: PseudoParameters;
}

export const DEFAULT_PSEUDO: PseudoParameters = {
  region: LOCAL_REGION,
  accountId: LOCAL_ACCOUNT_ID,
  stackName: 'local',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
};

export function createIntrinsicResolver(options: IntrinsicResolverOptions): IntrinsicResolver {
  const { template, resources } = options;
  const pseudo: PseudoParameters = { ...DEFAULT_PSEUDO, ...options.pseudo };
  const conditionCache = new Map<string, boolean>();
  const conditionsInProgress = new Set<string>();

  function pseudoParameter(name: string): unknown {
    switch (name) {
      case 'AWS::Region':
        return pseudo.region;
      case 'AWS::AccountId':
        return pseudo.accountId;
      case 'AWS::StackName':
        return pseudo.stackName;
      case 'AWS::StackId':
        return `arn:${pseudo.partition}:cloudformation:${pseudo.region}:${pseudo.accountId}:stack/${pseudo.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::Partition':
        return pseudo.partition;
      case 'AWS::URLSuffix':
        return pseudo.urlSuffix;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return undefined;
    }
  }

  function parameter(name: string): unknown {
    const declaration = template.Parameters?.[name];
    if (declaration === undefined) return undefined;
    const raw = options.parameterOverrides?.[name] ?? declaration.Default;
    if (raw === undefined) {
      throw new TemplateError(`Parameter ${name} has no Default; give it a value in the parameter overrides`);
    }
    const text = String(raw);
    const isList = declaration.Type === 'CommaDelimitedList' || declaration.Type.startsWith('List<');
    return isList ? text.split(',').map((item) => item.trim()) : text;
  }

  function ref(name: string, path: string): unknown {
    const fromPseudo = pseudoParameter(name);
    if (fromPseudo !== undefined) return fromPseudo;
    const fromParameter = parameter(name);
    if (fromParameter !== undefined) return fromParameter;
    if (template.Resources[name] !== undefined || resources.hasGenerated?.(name) === true) return resources.ref(name);
    const samReference = samResourceReference(template, name);
    if (samReference !== undefined) {
      return samReference.attribute === undefined ? resources.ref(samReference.logicalId) : resources.getAtt(samReference.logicalId, samReference.attribute);
    }
    throw new TemplateError(`${path}: Ref to "${name}", which is neither a parameter nor a resource`);
  }

  function getAtt(args: unknown, path: string): unknown {
    const [logicalId, attribute] = Array.isArray(args)
      ? [resolve(args[0], path), resolve(args[1], path)]
      : String(args).split(/\.(.*)/s);
    if (typeof logicalId !== 'string' || typeof attribute !== 'string') {
      throw new TemplateError(`${path}: Fn::GetAtt needs [LogicalId, Attribute]`);
    }
    if (template.Resources[logicalId] === undefined) {
      throw new TemplateError(`${path}: Fn::GetAtt of unknown resource "${logicalId}"`);
    }
    return resources.getAtt(logicalId, attribute);
  }

  function sub(args: unknown, path: string): string {
    const [text, variables] = Array.isArray(args) ? [args[0], resolve(args[1] ?? {}, path)] : [args, {}];
    if (typeof text !== 'string' || !isRecord(variables)) {
      throw new TemplateError(`${path}: Fn::Sub needs a string or [string, { variables }]`);
    }
    return text.replace(/\$\{([^}]*)\}/g, (_match, expression: string) => {
      // `${!Literal}` is the escape for a literal `${Literal}`.
      if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
      const name = expression.trim();
      let value: unknown;
      if (name in variables) value = variables[name];
      else if (name.includes('.') && !name.startsWith('AWS::')) value = getAtt(name, path);
      else value = ref(name, path);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new TemplateError(`${path}: Fn::Sub variable \${${name}} is not a string`);
      }
      return String(value);
    });
  }

  function asList(value: unknown, fn: string, path: string): unknown[] {
    const resolved = resolve(value, path);
    if (!Array.isArray(resolved)) throw new TemplateError(`${path}: ${fn} needs a list`);
    return resolved;
  }

  function conditionValue(value: unknown, path: string): boolean {
    if (isRecord(value) && Object.keys(value).length === 1 && typeof value.Condition === 'string') {
      return condition(value.Condition);
    }
    const resolved = resolve(value, path);
    if (typeof resolved === 'boolean') return resolved;
    if (resolved === 'true' || resolved === 'false') return resolved === 'true';
    throw new TemplateError(`${path}: expected a condition, got ${JSON.stringify(resolved)}`);
  }

  function condition(name: string): boolean {
    const cached = conditionCache.get(name);
    if (cached !== undefined) return cached;
    const definition = template.Conditions?.[name];
    if (definition === undefined) throw new TemplateError(`Unknown condition "${name}"`);
    if (conditionsInProgress.has(name)) throw new TemplateError(`Condition "${name}" refers to itself`);
    conditionsInProgress.add(name);
    try {
      const value = conditionValue(definition, `Conditions.${name}`);
      conditionCache.set(name, value);
      return value;
    } finally {
      conditionsInProgress.delete(name);
    }
  }

  function findInMap(args: unknown, path: string): unknown {
    const list = asList(args, 'Fn::FindInMap', path);
    const [mapName, topKey, secondKey] = list.map(String);
    const fallback = isRecord(list[3]) ? list[3].DefaultValue : undefined;
    const value = template.Mappings?.[mapName ?? '']?.[topKey ?? '']?.[secondKey ?? ''];
    if (value !== undefined) return resolve(value, path);
    if (fallback !== undefined) return fallback;
    throw new TemplateError(`${path}: Fn::FindInMap found nothing at ${mapName}.${topKey}.${secondKey}`);
  }

  function applyFunction(name: string, args: unknown, path: string): unknown {
    const at = `${path}.${name}`;
    switch (name) {
      case 'Ref':
        return ref(String(resolve(args, at)), at);
      case 'Fn::GetAtt':
        return getAtt(args, at);
      case 'Fn::Sub':
        return sub(args, at);
      case 'Fn::Join': {
        const [delimiter, items] = asList(args, name, at);
        if (!Array.isArray(items)) throw new TemplateError(`${at}: Fn::Join needs [delimiter, [values]]`);
        return items.map(String).join(String(delimiter));
      }
      case 'Fn::Select': {
        const [index, items] = asList(args, name, at);
        const list = Array.isArray(items) ? items : undefined;
        const position = Number(index);
        if (list === undefined || !Number.isInteger(position) || position < 0 || position >= list.length) {
          throw new TemplateError(`${at}: Fn::Select index ${String(index)} is out of range`);
        }
        return list[position];
      }
      case 'Fn::Split': {
        const [delimiter, text] = asList(args, name, at);
        return String(text).split(String(delimiter));
      }
      case 'Fn::If': {
        if (!Array.isArray(args) || args.length !== 3) {
          throw new TemplateError(`${at}: Fn::If needs [condition, valueIfTrue, valueIfFalse]`);
        }
        return resolve(condition(String(args[0])) ? args[1] : args[2], at);
      }
      case 'Fn::Equals': {
        const [left, right] = asList(args, name, at);
        return comparable(left) === comparable(right);
      }
      case 'Fn::Not': {
        if (!Array.isArray(args) || args.length !== 1) throw new TemplateError(`${at}: Fn::Not needs [condition]`);
        return !conditionValue(args[0], at);
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(args)) throw new TemplateError(`${at}: ${name} needs a list of conditions`);
        const values = args.map((item) => conditionValue(item, at));
        return name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
      }
      case 'Condition':
        return condition(String(args));
      case 'Fn::FindInMap':
        return findInMap(args, at);
      case 'Fn::Base64':
        return Buffer.from(String(resolve(args, at))).toString('base64');
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${pseudo.region}${zone}`);
      case 'Fn::Length':
        return asList(args, name, at).length;
      case 'Fn::ToJsonString':
        return JSON.stringify(resolve(args, at));
      case 'Fn::ImportValue':
        throw new TemplateError(`${at}: Fn::ImportValue needs another stack; the local cloud runs one template`);
      default:
        throw new TemplateError(`${at}: ${name} is not supported by the local cloud`);
    }
  }

  function resolve(value: unknown, path = '$'): unknown {
    if (Array.isArray(value)) {
      return value.map((item, index) => resolve(item, `${path}[${index}]`)).filter((item) => item !== NO_VALUE);
    }
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    const only = keys.length === 1 ? keys[0] : undefined;
    if (only !== undefined && (only === 'Ref' || only.startsWith('Fn::'))) {
      return applyFunction(only, value[only], path);
    }
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      const resolved = resolve(value[key], `${path}.${key}`);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  return {
    resolve: (value) => {
      const resolved = resolve(value);
      return resolved === NO_VALUE ? undefined : resolved;
    },
    condition,
    isActive: (logicalId) => {
      const name = template.Resources[logicalId]?.Condition;
      return name === undefined || condition(name);
    },
    pseudo,
  };
}

/** CloudFormation compares the string forms (`!Equals [!Ref Count, 3]` holds for "3"). */
function comparable(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
