import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

// One instance of each per container; service name, namespace and log level come from the
// POWERTOOLS_* environment variables in template.yaml.
export const logger = new Logger();
export const tracer = new Tracer();
// Metrics reports its own problems through our logger, minus one: a request that records no
// business metric (every read) is normal here, and a WARN line for it on every GET would cost
// log volume for nothing. (A child logger at ERROR would not do: Lambda's log level controls
// take precedence over it.)
const EMPTY_METRICS_WARNING = 'No application metrics to publish';
const metricsLogger = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  warn: (message: string) => {
    if (!String(message).startsWith(EMPTY_METRICS_WARNING)) logger.warn(message);
  },
  error: (message: string) => logger.error(message),
};
export const metrics = new Metrics({ logger: metricsLogger });
