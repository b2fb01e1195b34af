/**
 * Every environment variable the layer reads, by name, in one place. Values come from the
 * function's environment (set in template.yaml, or by the local cloud from the same template).
 * Each is read lazily, so that importing a module never fails at load time in a test that does
 * not need the value; none has a default.
 *
 * (Powertools reads its own POWERTOOLS_* variables, and the AWS SDK its AWS_* ones.)
 */
function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

/** The single table. */
export const tableName = (): string => requiredEnv('TABLE_NAME');

/** The SNS topic the stream publisher sends order events to. */
export const orderEventsTopicArn = (): string => requiredEnv('ORDER_EVENTS_TOPIC_ARN');

/** The fulfilment saga, started once per placed order. */
export const fulfilmentStateMachineArn = (): string => requiredEnv('FULFILMENT_STATE_MACHINE_ARN');

/**
 * The origin allowed by CORS; API Gateway answers preflight, the function adds it to responses.
 * Optional: without it, responses carry no CORS headers.
 */
export const corsAllowOrigin = (): string | undefined => process.env.CORS_ALLOW_ORIGIN || undefined;
