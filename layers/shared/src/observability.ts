import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

// One instance of each per container; service name, namespace and log level come from the
// POWERTOOLS_* environment variables in template.yaml.
export const logger = new Logger();
export const tracer = new Tracer();
// Metrics' own warnings (e.g. an invocation that recorded no business metric) go through the
// structured logger, so they obey the log level instead of writing to the console.
export const metrics = new Metrics({ logger });
