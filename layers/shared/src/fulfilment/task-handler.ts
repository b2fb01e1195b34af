import type * as z from 'zod/mini';
import { withObservability } from '../platform/middleware.ts';
import { logger } from '../platform/observability.ts';
import { parseWith } from '../platform/validation.ts';

/**
 * A Lambda handler for one step of the fulfilment state machine: validates the step's input,
 * joins its logs to the order and the request that placed it, and lets errors propagate by
 * name so the state machine's Retry and Catch can act on them.
 */
export function sagaTask<S extends z.core.$ZodType, Result>(schema: S, step: (input: z.output<S>) => Promise<Result>) {
  return withObservability<unknown, Result>(async (event) => {
    const raw = event as { correlationId?: unknown; orderId?: unknown };
    if (typeof raw.correlationId === 'string') logger.setCorrelationId(raw.correlationId);
    if (typeof raw.orderId === 'string') logger.appendKeys({ orderId: raw.orderId });
    return step(parseWith(schema, event));
  });
}
