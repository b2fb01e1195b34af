import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoDbClient } from './clients.ts';
import { ConflictError, IdempotencyKeyReusedError } from './errors.ts';
import { tableName } from './config.ts';
import { idempotencyKey } from './table/keys.ts';

/**
 * Powertools' DynamoDB store on a table with a sort key puts every record under one static
 * partition key; at a sale's peak that one partition would take every order's two writes and
 * stop at DynamoDB's 1,000 writes per second per partition (docs/scale.md). Here each record is
 * its own partition (`IDEMPOTENCY#<key>`), so the records spread with the orders.
 */
class SpreadIdempotencyStore extends DynamoDBPersistenceLayer {
  protected override getKey(key: string): Record<string, AttributeValue> {
    const { PK, SK } = idempotencyKey(key);
    return { PK: { S: PK }, SK: { S: SK } };
  }
}

const ONE_DAY_SECONDS = 24 * 60 * 60;

/** Powertools' refusals are the client's doing: translated to ours, which map to 422 and 409. */
function translate(error: unknown): unknown {
  if (error instanceof IdempotencyValidationError) {
    return new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different request body');
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly');
  }
  return error;
}

/**
 * Makes `operation` idempotent with Powertools, storing records in the single table, each in its
 * own partition (expired by the table's TTL attribute). The key is chosen by `keyPath`; the
 * part of the input selected by `payloadPath` must match on a replay, or the call is rejected.
 */
export function idempotentOperation<Input extends object, Output>(
  name: string,
  operation: (input: Input) => Promise<Output>,
  paths: { keyPath: string; payloadPath: string },
): (input: Input, context: Context) => Promise<Output> {
  let wrapped: ((input: Input) => Promise<Output>) | undefined;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: paths.keyPath,
    payloadValidationJmesPath: paths.payloadPath,
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: ONE_DAY_SECONDS,
  });
  return (input, context) => {
    wrapped ??= makeIdempotent(operation, {
      persistenceStore: new SpreadIdempotencyStore({
        tableName: tableName(),
        keyAttr: 'PK',
        sortKeyAttr: 'SK',
        expiryAttr: 'ttl',
        awsSdkV3Client: dynamoDbClient,
      }),
      config,
      keyPrefix: name,
    });
    // Lets Powertools expire an in-progress record if this invocation times out.
    config.registerLambdaContext(context);
    return wrapped(input).catch((error: unknown) => {
      throw translate(error);
    });
  };
}
