import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

// One instance of each per container; service name, namespace and log level come from the
// POWERTOOLS_* environment variables in template.yaml.
export const logger = new Logger();
export const tracer = new Tracer();
// Metrics reports its own problems through a child logger at ERROR: a read-only request that
// records no business metric is normal here, and a WARN line for it on every GET would cost
// log volume for nothing.
export const metrics = new Metrics({ logger: logger.createChild({ logLevel: 'ERROR' }) });
