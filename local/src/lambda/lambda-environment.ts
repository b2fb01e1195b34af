import type { LocalFunctionDefinition } from './from-template.ts';

export interface RuntimeSettings {
  region: string;
  accountId: string;
  /**
   * Local endpoints by SDK service id, e.g. `{ DYNAMODB: 'http://127.0.0.1:8000' }`; each becomes
   * `AWS_ENDPOINT_URL_<ID>`, which SDK v3 clients honour without any code change.
   */
  serviceEndpoints: Record<string, string>;
  /** Applied last, for local-only tweaks such as a quieter log level in tests. */
  overrides?: Record<string, string>;
}

/**
 * Where SDK calls to services the local cloud does not emulate end up: a closed local port, so
 * they fail fast instead of reaching real AWS with dummy credentials.
 */
export const UNEMULATED_SERVICE_ENDPOINT = 'http://127.0.0.1:1';

export const logGroupName = (fn: LocalFunctionDefinition) => `/aws/lambda/${fn.functionName}`;

export const functionArn = (fn: LocalFunctionDefinition, settings: RuntimeSettings) =>
  `arn:aws:lambda:${settings.region}:${settings.accountId}:function:${fn.functionName}`;

/**
 * The environment a function sees: its template variables, then what the Lambda runtime sets
 * (reserved names, which the template cannot override), then the local endpoints.
 */
export function lambdaEnvironment(
  fn: LocalFunctionDefinition,
  settings: RuntimeSettings,
  logStreamName: string,
): Record<string, string> {
  const endpoints = Object.fromEntries(
    Object.entries(settings.serviceEndpoints).map(([serviceId, url]) => [`AWS_ENDPOINT_URL_${serviceId}`, url]),
  );
  const logging = fn.loggingConfig.logFormat === 'JSON'
    ? {
        AWS_LAMBDA_LOG_FORMAT: 'JSON',
        ...(fn.loggingConfig.applicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: fn.loggingConfig.applicationLogLevel } : {}),
      }
    : {};
  return {
    ...fn.environment,
    AWS_REGION: settings.region,
    AWS_DEFAULT_REGION: settings.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn),
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    LAMBDA_TASK_ROOT: fn.codeDirectory,
    ...logging,
    // What `sam local` sets; Powertools Tracer reads it and stays off (no X-Ray daemon here).
    AWS_SAM_LOCAL: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: UNEMULATED_SERVICE_ENDPOINT,
    ...endpoints,
    ...settings.overrides,
  };
}
