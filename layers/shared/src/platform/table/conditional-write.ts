import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * Runs a conditional write and says whether it happened: false when DynamoDB refused it for its
 * condition (the item is already there, or no longer in the state the write expects). This is
 * how an idempotent write tells "done now" from "already done"; any other error propagates.
 */
export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Why DynamoDB cancelled a transaction, item by item in the order the transaction listed them
 * (`'ConditionalCheckFailed'`, `'TransactionConflict'`, `'None'` for an item that was fine, …);
 * undefined when the error is not a cancelled transaction, which the caller should rethrow.
 */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}
