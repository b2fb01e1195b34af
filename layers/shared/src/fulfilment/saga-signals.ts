import type { SFNClient } from '@aws-sdk/client-sfn';
import { stepFunctionsClient } from '../platform/clients.ts';
import { fulfilmentStateMachineArn } from '../platform/config.ts';
import { logger } from '../platform/observability.ts';

// Step Functions is loaded on first use (platform/clients.ts), so the API functions that never
// signal a saga do not pay for loading it at cold start.

/** The saga no longer waits for this token: it moved on (timed out, was stopped). Nothing to tell. */
const TOKEN_NO_LONGER_WAITING = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

async function send(signal: (sdk: typeof import('@aws-sdk/client-sfn'), sfn: SFNClient) => Promise<unknown>): Promise<void> {
  const { sdk, client: sfn } = await stepFunctionsClient();
  try {
    await signal(sdk, sfn);
  } catch (error) {
    if (error instanceof Error && TOKEN_NO_LONGER_WAITING.has(error.name)) {
      logger.info('The saga was no longer waiting for this token', { error: error.name });
      return;
    }
    throw error; // anything else is a real failure the caller must see (and may retry)
  }
}

/** Resumes the saga waiting for shipment. */
export const orderShipped = (taskToken: string, trackingNumber: string): Promise<void> =>
  send((sdk, sfn) => sfn.send(new sdk.SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ trackingNumber }) })));

/** Tells the saga waiting for shipment that the customer cancelled: it compensates. */
export const orderCancelled = (taskToken: string): Promise<void> =>
  send((sdk, sfn) =>
    sfn.send(new sdk.SendTaskFailureCommand({ taskToken, error: 'OrderCancelled', cause: 'The customer cancelled the order' })),
  );

/** Starts the order's fulfilment; the execution is named after the order, so it starts once. */
export async function startFulfilment(orderId: string, input: object): Promise<'started' | 'already-started'> {
  const { sdk, client: sfn } = await stepFunctionsClient();
  try {
    await sfn.send(
      new sdk.StartExecutionCommand({
        stateMachineArn: fulfilmentStateMachineArn(),
        name: orderId,
        input: JSON.stringify(input),
      }),
    );
    return 'started';
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return 'already-started';
    throw error;
  }
}
