import { type LocalFunctionDefinition, referencedLogicalId } from '../lambda/from-template.ts';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { type CfnTemplate, isRecord, TemplateError } from '../template/template-types.ts';

/** One REST API (`AWS::Serverless::Api`) with the routes its functions declare. */
export interface ApiDefinition {
  logicalId: string;
  stageName: string;
  routes: RouteDefinition[];
  authorizers: Record<string, CognitoAuthorizerDefinition>;
  /** `Auth.DefaultAuthorizer`: guards every route that does not say otherwise. */
  defaultAuthorizer: string | undefined;
  cors: CorsConfig | undefined;
  /** SAM puts the default authorizer on the CORS preflight too unless told not to. */
  authorizePreflight: boolean;
  binaryMediaTypes: string[];
  gatewayResponses: Record<string, GatewayResponseDefinition>;
  /**
   * The usage plan of the API's stage: an `AWS::ApiGateway::UsagePlan` resource naming the API,
   * or SAM's `Auth.UsagePlan` (which creates the plan, one API key and their link).
   */
  usagePlan: UsagePlanDefinition | undefined;
}

/** A usage plan for this API's stage and the one key in it that the local cloud creates. */
export interface UsagePlanDefinition {
  /** The plan's logical id (`<Api>UsagePlan` when SAM's Auth.UsagePlan creates it). */
  logicalId: string;
  /** The key's logical id (`<Api>ApiKey` from SAM's Auth.UsagePlan); `!Ref` gives its id. */
  apiKeyLogicalId: string;
  /** Token bucket per key: `rateLimit` requests per second refill a bucket of `burstLimit`. */
  throttle: { rateLimit: number; burstLimit: number } | undefined;
  /** Requests per key per period; the period starts at 00:00 UTC of the day, the week (Monday) or the month. */
  quota: { limit: number; period: QuotaPeriod } | undefined;
}

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

export interface RouteDefinition {
  /** Upper case; `ANY` matches every method. */
  method: string;
  /** The resource path as declared, e.g. `/products/{productId}` or `/{proxy+}`. */
  resourcePath: string;
  functionLogicalId: string;
  /** Name of the authorizer guarding the route, or null for `Authorizer: NONE`. */
  authorizer: string | null;
  /** `Auth.ApiKeyRequired` (the event's, else the API's): callers send a key of the usage plan in `x-api-key`. */
  apiKeyRequired: boolean;
}

export interface CognitoAuthorizerDefinition {
  name: string;
  /** Logical ids of the user pools whose tokens the authorizer accepts. */
  userPoolLogicalIds: string[];
  /** The request header carrying the token (`Identity.Header`, default `Authorization`). */
  header: string;
  /** `Identity.ValidationExpression`: a regex the token must match before it is verified. */
  validationExpression: string | undefined;
}

/** Cors values as SAM takes them: API Gateway header values, quotes stripped. */
export interface CorsConfig {
  allowOrigin: string;
  allowMethods: string | undefined;
  allowHeaders: string | undefined;
  maxAge: string | undefined;
  allowCredentials: boolean;
}

export interface GatewayResponseDefinition {
  statusCode: number | undefined;
  /** Static header values (written `'value'` in the template). */
  headers: Record<string, string>;
  /** Header values mapped from the request (`method.request.header.<name>` and the like). */
  mappedHeaders?: Record<string, RequestValue>;
  /** Body templates by content type, e.g. `application/json`. */
  templates?: Record<string, string>;
}

/** A value of the method request that a gateway response header can map. */
export interface RequestValue {
  location: 'header' | 'querystring' | 'path';
  name: string;
}

/** The API SAM creates when a function's Api event names no `RestApiId`. */
export const IMPLICIT_API = 'ServerlessRestApi';

/**
 * Reads every REST API in the template together with the routes that point at it. Cors and
 * GatewayResponses are resolved (they may use `!Sub`); the authorizer's `UserPoolArn` is
 * read as written, because what matters locally is which pool resource it names.
 */
export function readApiDefinitions(
  template: CfnTemplate,
  resolver: IntrinsicResolver,
  functions: LocalFunctionDefinition[],
): ApiDefinition[] {
  const apis = new Map<string, ApiDefinition & { apiKeyRequiredByDefault: boolean }>();
  const globalApi = template.Globals?.Api ?? {};

  const apiFor = (logicalId: string): ApiDefinition & { apiKeyRequiredByDefault: boolean } => {
    const existing = apis.get(logicalId);
    if (existing !== undefined) return existing;
    const resource = template.Resources[logicalId];
    if (logicalId !== IMPLICIT_API && resource?.Type !== 'AWS::Serverless::Api') {
      throw new TemplateError(`RestApiId points at ${logicalId}, which is not an AWS::Serverless::Api`);
    }
    const api = apiFromProperties(logicalId, resource?.Properties ?? globalApi, resolver);
    api.usagePlan ??= usagePlanResourceFor(template, logicalId, resolver);
    apis.set(logicalId, api);
    return api;
  };

  for (const fn of functions) {
    for (const [eventName, event] of Object.entries(fn.events)) {
      if (event.Type !== 'Api') continue;
      const properties = event.Properties;
      const apiId = properties.RestApiId === undefined ? IMPLICIT_API : referencedLogicalId(properties.RestApiId);
      if (apiId === undefined) {
        throw new TemplateError(`${fn.logicalId}.Events.${eventName}: RestApiId must be !Ref to an Api resource`);
      }
      const api = apiFor(apiId);
      const resolved = resolver.resolve(properties) as Record<string, unknown>;
      const auth = isRecord(resolved.Auth) ? resolved.Auth : {};
      const authorizer = typeof auth.Authorizer === 'string' ? auth.Authorizer : api.defaultAuthorizer;
      const apiKeyRequired = isTrue(auth.ApiKeyRequired ?? api.apiKeyRequiredByDefault);
      api.routes.push({
        method: String(resolved.Method).toUpperCase(),
        resourcePath: String(resolved.Path),
        functionLogicalId: fn.logicalId,
        authorizer: authorizer === undefined || authorizer === 'NONE' ? null : authorizer,
        apiKeyRequired,
      });
      if (apiKeyRequired && api.usagePlan === undefined) {
        // Deployable, but every call would be refused: a key only works through a usage plan.
        throw new TemplateError(`${fn.logicalId}.Events.${eventName} requires an API key, but ${apiId} declares no Auth.UsagePlan`);
      }
      if (authorizer !== undefined && authorizer !== 'NONE' && api.authorizers[authorizer] === undefined) {
        throw new TemplateError(`${fn.logicalId}.Events.${eventName} uses authorizer ${authorizer}, which ${apiId} does not declare`);
      }
    }
  }
  return [...apis.values()].map(({ apiKeyRequiredByDefault: _, ...api }) => api);
}

function apiFromProperties(
  logicalId: string,
  properties: Record<string, unknown>,
  resolver: IntrinsicResolver,
): ApiDefinition & { apiKeyRequiredByDefault: boolean } {
  const { Auth: rawAuth, ...rest } = properties;
  const resolved = resolver.resolve(rest) as Record<string, unknown>;
  const auth = isRecord(rawAuth) ? rawAuth : {};
  const defaultAuthorizer = typeof auth.DefaultAuthorizer === 'string' ? auth.DefaultAuthorizer : undefined;
  const authorizers: Record<string, CognitoAuthorizerDefinition> = {};
  for (const [name, raw] of Object.entries(isRecord(auth.Authorizers) ? auth.Authorizers : {})) {
    authorizers[name] = cognitoAuthorizer(logicalId, name, raw, resolver);
  }
  const cors = readCors(resolved.Cors);
  return {
    logicalId,
    stageName: String(resolved.StageName ?? 'Prod'),
    routes: [],
    authorizers,
    defaultAuthorizer,
    cors,
    authorizePreflight:
      defaultAuthorizer !== undefined && cors !== undefined && auth.AddDefaultAuthorizerToCorsPreflight !== false,
    binaryMediaTypes: Array.isArray(resolved.BinaryMediaTypes)
      ? resolved.BinaryMediaTypes.map((type) => String(type).replaceAll('~1', '/'))
      : [],
    gatewayResponses: readGatewayResponses(resolved.GatewayResponses),
    usagePlan: readUsagePlan(logicalId, auth.UsagePlan, resolver),
    apiKeyRequiredByDefault: isTrue(auth.ApiKeyRequired),
  };
}

/**
 * SAM's `Auth.UsagePlan` with `CreateUsagePlan: PER_API` (a plan, a key and their link, named
 * after the API). SHARED (one plan for every API of the template) is read the same way: the
 * local cloud serves one API. NONE, or no UsagePlan: the API has no plan.
 */
function readUsagePlan(
  apiId: string,
  raw: unknown,
  resolver: IntrinsicResolver,
  ids?: { planId: string; keyId: string },
): UsagePlanDefinition | undefined {
  if (raw === undefined) return undefined;
  const plan = resolver.resolve(raw);
  if (!isRecord(plan)) throw new TemplateError(`${apiId}.Auth.UsagePlan must be a map`);
  const create = plan.CreateUsagePlan;
  if (create === 'NONE') return undefined;
  if (create !== 'PER_API' && create !== 'SHARED') {
    throw new TemplateError(`${apiId}.Auth.UsagePlan.CreateUsagePlan must be PER_API, SHARED or NONE`);
  }
  const shared = create === 'SHARED';
  const throttle = isRecord(plan.Throttle) ? plan.Throttle : undefined;
  const quota = isRecord(plan.Quota) ? plan.Quota : undefined;
  const period = String(quota?.Period ?? '');
  if (quota !== undefined && period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH') {
    throw new TemplateError(`${apiId}.Auth.UsagePlan.Quota.Period must be DAY, WEEK or MONTH`);
  }
  return {
    logicalId: ids?.planId ?? (shared ? 'ServerlessUsagePlan' : `${apiId}UsagePlan`),
    apiKeyLogicalId: ids?.keyId ?? (shared ? 'ServerlessApiKey' : `${apiId}ApiKey`),
    throttle:
      throttle === undefined
        ? undefined
        : {
            rateLimit: limit(throttle.RateLimit, `${apiId}.Auth.UsagePlan.Throttle.RateLimit`),
            burstLimit: limit(throttle.BurstLimit, `${apiId}.Auth.UsagePlan.Throttle.BurstLimit`),
          },
    quota:
      quota === undefined ? undefined : { limit: limit(quota.Limit, `${apiId}.Auth.UsagePlan.Quota.Limit`), period: period as QuotaPeriod },
  };
}

/**
 * An `AWS::ApiGateway::UsagePlan` resource whose `ApiStages` name the API (`ApiId: !Ref <Api>`),
 * with the first key an `AWS::ApiGateway::UsagePlanKey` puts in it. The local cloud serves one
 * stage, so the plan's stage is not compared.
 */
function usagePlanResourceFor(template: CfnTemplate, apiId: string, resolver: IntrinsicResolver): UsagePlanDefinition | undefined {
  const resources = Object.entries(template.Resources);
  const plan = resources.find(
    ([, resource]) =>
      resource.Type === 'AWS::ApiGateway::UsagePlan' &&
      Array.isArray(resource.Properties?.ApiStages) &&
      resource.Properties.ApiStages.some((stage: unknown) => isRecord(stage) && referencedLogicalId(stage.ApiId) === apiId),
  );
  if (plan === undefined) return undefined;
  const [planId, { Properties: properties = {} }] = plan;
  const key = resources.find(
    ([, resource]) => resource.Type === 'AWS::ApiGateway::UsagePlanKey' && referencedLogicalId(resource.Properties?.UsagePlanId) === planId,
  );
  const keyId = key === undefined ? undefined : referencedLogicalId(key[1].Properties?.KeyId);
  if (keyId === undefined) throw new TemplateError(`${planId}: no AWS::ApiGateway::UsagePlanKey puts a key (KeyId: !Ref <ApiKey>) in it`);
  const limits = resolver.resolve({ Throttle: properties.Throttle, Quota: properties.Quota });
  return readUsagePlan(apiId, { CreateUsagePlan: 'PER_API', ...(isRecord(limits) ? limits : {}) }, resolver, { planId, keyId });
}

/** A limit left out is no limit, as in AWS. */
function limit(value: unknown, where: string): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new TemplateError(`${where} must be a number >= 0, not ${JSON.stringify(value)}`);
  return number;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function cognitoAuthorizer(
  apiId: string,
  name: string,
  raw: unknown,
  resolver: IntrinsicResolver,
): CognitoAuthorizerDefinition {
  if (!isRecord(raw) || raw.UserPoolArn === undefined) {
    throw new TemplateError(`${apiId}.Auth.Authorizers.${name}: only Cognito user pool authorizers run locally`);
  }
  const arns = Array.isArray(raw.UserPoolArn) ? raw.UserPoolArn : [raw.UserPoolArn];
  const userPoolLogicalIds = arns.map((arn) => {
    const id = referencedLogicalId(arn);
    if (id === undefined) {
      throw new TemplateError(`${apiId}.Auth.Authorizers.${name}.UserPoolArn must be !GetAtt <UserPool>.Arn`);
    }
    return id;
  });
  const identity = isRecord(raw.Identity) ? (resolver.resolve(raw.Identity) as Record<string, unknown>) : {};
  return {
    name,
    userPoolLogicalIds,
    header: typeof identity.Header === 'string' ? identity.Header : 'Authorization',
    validationExpression: typeof identity.ValidationExpression === 'string' ? identity.ValidationExpression : undefined,
  };
}

/** SAM Cors values are header values in single quotes ("'*'"); a bare string is the origin. */
export function readCors(cors: unknown): CorsConfig | undefined {
  if (cors === undefined) return undefined;
  if (typeof cors === 'string') {
    return { allowOrigin: unquote(cors), allowMethods: undefined, allowHeaders: undefined, maxAge: undefined, allowCredentials: false };
  }
  if (!isRecord(cors) || typeof cors.AllowOrigin !== 'string') {
    throw new TemplateError('Cors must be a string or a map with AllowOrigin');
  }
  const optional = (value: unknown) => (typeof value === 'string' ? unquote(value) : undefined);
  return {
    allowOrigin: unquote(cors.AllowOrigin),
    allowMethods: optional(cors.AllowMethods),
    allowHeaders: optional(cors.AllowHeaders),
    maxAge: optional(cors.MaxAge),
    allowCredentials: cors.AllowCredentials === true || cors.AllowCredentials === 'true',
  };
}

function readGatewayResponses(responses: unknown): Record<string, GatewayResponseDefinition> {
  if (!isRecord(responses)) return {};
  return Object.fromEntries(
    Object.entries(responses).map(([type, definition]) => {
      const body = isRecord(definition) ? definition : {};
      const parameters = isRecord(body.ResponseParameters) ? body.ResponseParameters : {};
      const headers = Object.entries(isRecord(parameters.Headers) ? parameters.Headers : {}).map(
        ([name, value]) => [name, String(value)] as const,
      );
      const mapped = headers.flatMap(([name, value]) => {
        const source = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(value);
        return source === null ? [] : [[name, { location: source[1] as RequestValue['location'], name: source[2]! }] as const];
      });
      const templates = isRecord(body.ResponseTemplates) ? body.ResponseTemplates : {};
      return [
        type,
        {
          statusCode: body.StatusCode === undefined ? undefined : Number(body.StatusCode),
          headers: Object.fromEntries(
            headers.filter(([name]) => !mapped.some(([other]) => other === name)).map(([name, value]) => [name, unquote(value)]),
          ),
          ...(mapped.length === 0 ? {} : { mappedHeaders: Object.fromEntries(mapped) }),
          ...(Object.keys(templates).length === 0
            ? {}
            : { templates: Object.fromEntries(Object.entries(templates).map(([type, text]) => [type, String(text)])) }),
        },
      ];
    }),
  );
}

function unquote(value: string): string {
  return /^'.*'$/s.test(value) ? value.slice(1, -1) : value;
}
