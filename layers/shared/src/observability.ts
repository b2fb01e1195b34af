import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

// One instance of each per container; service name, namespace and log level come from the
// POWERTOOLS_* environment variables in template.yaml.
export const logger = new Logger();
export const tracer = new Tracer();
export const metrics = new Metrics();
