/**
 * Configuration comes from the function's environment (set in template.yaml, or by the local
 * cloud from the same template). Read lazily so that importing a module never fails at load
 * time in a test that does not need the value.
 */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

export const tableName = (): string => requiredEnv('TABLE_NAME');

/** The origin allowed by CORS; API Gateway answers preflight, the function adds it to responses. */
export const corsAllowOrigin = (): string | undefined => process.env.CORS_ALLOW_ORIGIN || undefined;
