import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { z } from 'zod';
import { logger, metrics, tracer } from '../observability.ts';
import { parseWith } from '../schemas/validation.ts';

/**
 * A Lambda handler for one step of the fulfilment state machine: validates the step's input,
 * joins its logs to the order and the request that placed it, and lets errors propagate by
 * name so the state machine's Retry and Catch can act on them.
 */
export function sagaTask<S extends z.ZodType, Result>(schema: S, step: (input: z.output<S>) => Promise<Result>) {
  return middy<unknown, Result>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const raw = event as { correlationId?: unknown; orderId?: unknown };
      if (typeof raw.correlationId === 'string') logger.setCorrelationId(raw.correlationId);
      if (typeof raw.orderId === 'string') logger.appendKeys({ orderId: raw.orderId });
      return step(parseWith(schema, event));
    });
}
