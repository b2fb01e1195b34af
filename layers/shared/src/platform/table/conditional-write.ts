import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

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
