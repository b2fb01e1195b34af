import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';
import { tracer } from './observability.ts';

// Every AWS SDK client of the layer is created here, once per container, outside any handler,
// so warm invocations reuse the connection. Endpoints come from the SDK's own settings
// (AWS_ENDPOINT_URL_* locally), so this code is the same in AWS and in the local cloud.

/** DynamoDB: every function uses it, so it is created when the module loads. */
export const dynamoDbClient = tracer.captureAWSv3Client(new DynamoDBClient({}));

// Every DynamoDB error names the operation that raised it (`error.operation`), so a request
// DynamoDB refuses as invalid is logged with the call to fix (http/handler.ts). The document
// client shares this middleware stack.
dynamoDbClient.middlewareStack.add(
  (next, context) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (error instanceof Error) Object.assign(error, { operation: context.commandName });
      throw error;
    }
  },
  { step: 'initialize', name: 'nameFailedOperation' },
);

export const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});

// SNS and Step Functions are loaded on first use (a dynamic import), so the functions that never
// publish or signal a saga do not pay for loading those SDK packages at cold start. Each comes
// with its SDK module, whose command classes the caller needs.

type Lazy<Sdk, Client> = () => Promise<{ sdk: Sdk; client: Client }>;

let sns: Promise<{ sdk: typeof import('@aws-sdk/client-sns'); client: SNSClient }> | undefined;
export const snsClient: Lazy<typeof import('@aws-sdk/client-sns'), SNSClient> = () =>
  (sns ??= import('@aws-sdk/client-sns').then((sdk) => ({ sdk, client: tracer.captureAWSv3Client(new sdk.SNSClient({})) })));

let sfn: Promise<{ sdk: typeof import('@aws-sdk/client-sfn'); client: SFNClient }> | undefined;
export const stepFunctionsClient: Lazy<typeof import('@aws-sdk/client-sfn'), SFNClient> = () =>
  (sfn ??= import('@aws-sdk/client-sfn').then((sdk) => ({ sdk, client: tracer.captureAWSv3Client(new sdk.SFNClient({})) })));
