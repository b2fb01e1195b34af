import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './observability.ts';

export interface ObservabilityOptions {
  /**
   * Records the ColdStart metric. On for the API functions, whose cold starts a user waits for;
   * the event-driven functions (batches, saga steps) leave it off.
   */
  coldStartMetric?: boolean;
}

/**
 * The one middleware stack of every Lambda handler in the layer (HTTP, batch and saga-step
 * wrappers): Powertools tracer (a segment per invocation), logger (Lambda context on every line,
 * keys reset between invocations) and metrics (flushed at the end of each invocation).
 */
export function withObservability<Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
  options: ObservabilityOptions = {},
) {
  return middy<Event, Result>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, options.coldStartMetric === true ? { captureColdStartMetric: true } : {}))
    .handler(handler);
}
