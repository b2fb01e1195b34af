import {
  DeleteItemCommand,
  type DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { type AccessDenied, AccessDeniedError } from '../iam/access-denied.ts';
import { isRecord } from '../template/template-types.ts';
import { StateError } from './errors.ts';
import type { DynamoDbAction } from './task-resources.ts';

/**
 * The service integrations a Task runs: what goes to the service and what comes back, in the
 * shapes Step Functions uses (the Lambda Invoke response with a parsed `Payload`; DynamoDB's
 * low-level JSON), and service errors named as Step Functions names them.
 */

/**
 * Invokes a function synchronously. The caller maps `functionName` (a name, a full or partial
 * ARN, possibly with a qualifier, as `FunctionName` allows) to a local function. A function
 * error comes back as `functionError: 'Unhandled'` with `{ errorType, errorMessage, trace }` as
 * the payload, as from Lambda's Invoke API. A thrown error means the invocation itself failed:
 * its `name` (`ResourceNotFoundException`, …) becomes `Lambda.<name>`.
 */
export type InvokeLambda = (functionName: string, payload: unknown) => Promise<InvokeLambdaResult>;

export interface InvokeLambdaResult {
  payload: unknown;
  functionError?: string;
}

/** Exceptions the Lambda client Step Functions uses knows by name; others are `Lambda.AWSLambdaException`. */
const LAMBDA_EXCEPTIONS = new Set([
  'ResourceNotFoundException',
  'ServiceException',
  'TooManyRequestsException',
  'InvalidParameterValueException',
  'InvalidRequestContentException',
  'RequestTooLargeException',
  'ResourceConflictException',
  'ResourceNotReadyException',
]);

/** The same for DynamoDB (the Java SDK v1 model): a ValidationException arrives as `DynamoDB.AmazonDynamoDBException`. */
const DYNAMODB_EXCEPTIONS = new Set([
  'ConditionalCheckFailedException',
  'ProvisionedThroughputExceededException',
  'ResourceNotFoundException',
  'ItemCollectionSizeLimitExceededException',
  'TransactionConflictException',
  'RequestLimitExceededException',
  'InternalServerErrorException',
]);

/** `lambda:invoke` (and its `.waitForTaskToken` form): the Invoke response with the payload parsed. */
export async function invokeFunction(invoke: InvokeLambda, parameters: unknown): Promise<Record<string, unknown>> {
  if (!isRecord(parameters) || typeof parameters.FunctionName !== 'string') {
    throw new StateError('Lambda.InvalidParameterValueException', 'lambda:invoke needs Parameters.FunctionName (a function name or ARN)');
  }
  const payload = 'Payload' in parameters ? parameters.Payload : {};
  const result = await callLambda(invoke, parameters.FunctionName, payload);
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: result ?? null,
    SdkHttpMetadata: sdkHttpMetadata(requestId, { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' }),
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** A Task whose Resource is the function's ARN: the effective input is the event, the payload the result. */
export async function invokeFunctionArn(invoke: InvokeLambda, functionArn: string, input: unknown): Promise<unknown> {
  return (await callLambda(invoke, functionArn, input)) ?? null;
}

async function callLambda(invoke: InvokeLambda, functionName: string, payload: unknown): Promise<unknown> {
  let result: InvokeLambdaResult;
  try {
    result = await invoke(functionName, payload);
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const message = error instanceof Error ? error.message : String(error);
    const exception = LAMBDA_EXCEPTIONS.has(name) ? name : name === 'Error' || name === '' ? 'ServiceException' : 'AWSLambdaException';
    // IAM refusing the invocation: Step Functions names it Lambda.AWSLambdaException, with Lambda's status and error code.
    if (error instanceof AccessDeniedError) {
      throw new StateError('Lambda.AWSLambdaException', `${message} (Service: AWSLambda; Status Code: ${error.denied.status}; Error Code: ${error.denied.code})`);
    }
    throw new StateError(`Lambda.${exception}`, `${message} (Service: AWSLambda; Status Code: ${exception === 'ResourceNotFoundException' ? 404 : 500}; Error Code: ${exception})`);
  }
  if (result.functionError !== undefined) {
    const errorPayload = isRecord(result.payload) ? result.payload : { errorMessage: String(result.payload) };
    const errorType = typeof errorPayload.errorType === 'string' && errorPayload.errorType !== '' ? errorPayload.errorType : 'Lambda.Unknown';
    // The Cause is the function's error payload as JSON, the way Step Functions reports it.
    throw new StateError(errorType, JSON.stringify(errorPayload));
  }
  return result.payload;
}

/**
 * `dynamodb:getItem|putItem|updateItem|deleteItem`: low-level DynamoDB JSON in and out. `denied`:
 * IAM refused the call (the state machine's role), which then fails without reaching DynamoDB.
 */
export async function callDynamoDb(client: DynamoDBClient, action: DynamoDbAction, parameters: unknown, denied?: AccessDenied): Promise<Record<string, unknown>> {
  if (!isRecord(parameters)) throw new StateError('DynamoDB.AmazonDynamoDBException', `dynamodb:${action} needs Parameters`);
  const input = binaryToBytes(parameters) as never;
  try {
    if (denied !== undefined) throw new AccessDeniedError(denied);
    const { $metadata, ...body } = await send(client, action, input);
    const requestId = $metadata.requestId ?? randomUUID();
    return {
      ...(bytesToBase64(body) as Record<string, unknown>),
      SdkHttpMetadata: sdkHttpMetadata(requestId, { 'Content-Type': 'application/x-amz-json-1.0' }),
      SdkResponseMetadata: { RequestId: requestId },
    };
  } catch (error) {
    if (error instanceof DynamoDBServiceException || error instanceof AccessDeniedError) {
      const code = error.name;
      const status = error.$metadata.httpStatusCode ?? 400;
      const exception = DYNAMODB_EXCEPTIONS.has(code) ? code : 'AmazonDynamoDBException';
      throw new StateError(
        `DynamoDB.${exception}`,
        `${error.message} (Service: AmazonDynamoDBv2; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestIdOf(error)}; Proxy: null)`,
      );
    }
    throw new StateError('DynamoDB.SdkClientException', `Unable to execute HTTP request: ${(error as Error).message}`);
  }
}

const requestIdOf = (error: DynamoDBServiceException | AccessDeniedError): string =>
  ('requestId' in error.$metadata && typeof error.$metadata.requestId === 'string' ? error.$metadata.requestId : undefined) ?? 'local';

function send(client: DynamoDBClient, action: DynamoDbAction, input: never): Promise<{ $metadata: { requestId?: string } }> {
  switch (action) {
    case 'getItem':
      return client.send(new GetItemCommand(input));
    case 'putItem':
      return client.send(new PutItemCommand(input));
    case 'updateItem':
      return client.send(new UpdateItemCommand(input));
    case 'deleteItem':
      return client.send(new DeleteItemCommand(input));
  }
}

function sdkHttpMetadata(requestId: string, headers: Record<string, string>) {
  const all = { ...headers, 'x-amzn-RequestId': requestId };
  return {
    AllHttpHeaders: Object.fromEntries(Object.entries(all).map(([name, value]) => [name, [value]])),
    HttpHeaders: all,
    HttpStatusCode: 200,
  };
}

/** In DynamoDB JSON, binary values (`B`, `BS`) are base64 strings; the SDK wants bytes. */
function binaryToBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(binaryToBytes);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'B' && typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (keys.length === 1 && keys[0] === 'BS' && Array.isArray(value.BS)) {
    return { BS: value.BS.map((item) => (typeof item === 'string' ? Buffer.from(item, 'base64') : item)) };
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, binaryToBytes(item)]));
}

function bytesToBase64(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(bytesToBase64);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, bytesToBase64(item)]));
}
