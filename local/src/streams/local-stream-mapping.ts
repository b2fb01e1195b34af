import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { LambdaError, LambdaInvoker } from '../lambda/invocation.ts';
import type { StreamMappingSettings } from './mapping-config.ts';
import { StreamEventSource, type StreamEventSourceOptions } from './stream-event-source.ts';
import { DynamoDbStreamReader } from './stream-reader.ts';

/**
 * The local cloud's glue: one `Type: DynamoDB` event of a function in the template becomes a
 * running mapping that reads DynamoDB Local's stream and invokes the function through the local
 * Lambda service.
 */

export interface LocalStreamMappingOptions
  extends Omit<StreamEventSourceOptions, 'reader' | keyof StreamMappingOptionsFromSettings> {
  /** DynamoDB Local's endpoint. */
  endpoint: string;
  /** From `streamMappingFromTemplate(event.Properties)`. */
  settings: StreamMappingSettings;
}

type StreamMappingOptionsFromSettings = Pick<
  StreamEventSourceOptions,
  | 'batchSize'
  | 'maximumBatchingWindowInSeconds'
  | 'maximumRetryAttempts'
  | 'maximumRecordAgeInSeconds'
  | 'bisectBatchOnFunctionError'
  | 'functionResponseTypes'
  | 'filterCriteria'
  | 'onFailureDestination'
>;

export interface LocalStreamMapping {
  readonly source: StreamEventSource;
  start(): Promise<void>;
  /** See `StreamEventSource.idle`. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** A mapping over DynamoDB Local. Not started: an `Enabled: false` mapping is simply never started. */
export function createLocalStreamMapping(options: LocalStreamMappingOptions): LocalStreamMapping {
  const { endpoint, settings, ...rest } = options;
  const reader = new DynamoDbStreamReader({
    endpoint,
    streamArn: settings.streamArn,
    startingPosition: settings.startingPosition,
    ...(rest.region !== undefined && { region: rest.region }),
    ...(rest.discoveryIntervalMs !== undefined && { discoveryIntervalMs: rest.discoveryIntervalMs }),
  });
  const source = new StreamEventSource({
    ...rest,
    reader,
    batchSize: settings.batchSize,
    maximumBatchingWindowInSeconds: settings.maximumBatchingWindowInSeconds,
    maximumRetryAttempts: settings.maximumRetryAttempts,
    maximumRecordAgeInSeconds: settings.maximumRecordAgeInSeconds,
    bisectBatchOnFunctionError: settings.bisectBatchOnFunctionError,
    functionResponseTypes: settings.functionResponseTypes,
    filterCriteria: settings.filterCriteria,
    onFailureDestination: settings.onFailureDestination,
  });
  return {
    source,
    start: () => source.start(),
    idle: () => source.idle(),
    async stop() {
      await source.stop();
      reader.destroy();
    },
  };
}

/** The error a stream mapping sees when the function failed: Lambda's error payload. */
export class FunctionInvocationError extends Error {
  override name = 'FunctionInvocationError';
  constructor(readonly lambdaError: LambdaError) {
    super(`${lambdaError.errorType}: ${lambdaError.errorMessage}`);
  }
}

/**
 * Adapts the local Lambda service (which reports a failed invocation as an outcome) to the
 * mapping's `invoke`, which rejects when the function failed.
 */
export function invokeThrough(
  lambda: LambdaInvoker,
  functionLogicalId: string,
): StreamEventSourceOptions['invoke'] {
  return async (event: DynamoDBStreamEvent, { requestId }) => {
    const outcome = await lambda.invoke(functionLogicalId, event, { requestId });
    if (outcome.kind === 'error') throw new FunctionInvocationError(outcome.error);
    return outcome.payload;
  };
}
