/**
 * Optional SDK call counting inside a local Lambda execution environment, for `npm run bench`.
 * Off unless the Lambda service is created with an `onSdkCall` hook; handler code never
 * changes.
 *
 * `installSdkMetrics` adds one middleware to every SDK client's `middlewareStack` through
 * `core/sdk-client-hook.ts` (the SDK packages resolve to one CommonJS copy from import and
 * require alike, so the patched base class is the one the handlers use; a document client
 * shares its DynamoDB client's stack, so one middleware per stack), which, for every command:
 *   - asks DynamoDB for `ReturnConsumedCapacity: 'INDEXES'` (the total, split by table and
 *     index) when the command accepts it and the caller did not set it,
 *   - reports `{ service, command, capacityUnits, failed, durationMs }` once the command settles, and for
 *     DynamoDB the request and the consumed capacity (which partitions it read: bench/partitions.ts).
 * The caller sees the same output it would without the middleware, except for the
 * `ConsumedCapacity` member it did not ask for.
 */
import { addMiddlewareToEverySdkClient } from '../core/sdk-client-hook.ts';

export interface SdkCall {
  /** The client's service id: `DynamoDB`, `SNS`, `SFN`, `SQS`, … */
  service: string;
  /** The SDK command, e.g. `TransactWriteItemsCommand` (a document client's `PutCommand` is `PutItemCommand`). */
  command: string;
  /** DynamoDB only: the consumed capacity units the table (and its indexes) reported. */
  capacityUnits?: number;
  /** The command failed (e.g. a condition check); DynamoDB reports no capacity then. */
  failed: boolean;
  /** How long the call took as the handler saw it (signing, the round trip, parsing), in ms. */
  durationMs: number;
  /** DynamoDB only: the request as sent and the capacity it consumed, by table and index. */
  dynamoDb?: { input: Record<string, unknown>; consumedCapacity?: unknown };
}

/** DynamoDB operations that take `ReturnConsumedCapacity`. */
const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
  'ExecuteStatementCommand',
  'BatchExecuteStatementCommand',
  'ExecuteTransactionCommand',
]);

interface ConsumedCapacity {
  CapacityUnits?: number;
}

/** The total of `ConsumedCapacity`: one object for single-item and query calls, a list for batches and transactions. */
export function totalCapacityUnits(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): number | undefined {
  if (consumed === undefined) return undefined;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

const MIDDLEWARE_NAME = 'localCloudSdkMetrics';
let installed = false;

/** The middleware `installSdkMetrics` adds to one client's stack (exported for tests). */
export function sdkMetricsMiddleware(service: string, onCall: (call: SdkCall) => void) {
  return (next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) =>
    async (args: { input: Record<string, unknown> }) => {
      const command = context.commandName ?? 'UnknownCommand';
      const wantsCapacity = service === 'DynamoDB' && CAPACITY_COMMANDS.has(command);
      const input = wantsCapacity && args.input.ReturnConsumedCapacity === undefined ? { ...args.input, ReturnConsumedCapacity: 'INDEXES' } : args.input;
      const request = service === 'DynamoDB' ? { input: args.input } : undefined;
      const started = performance.now();
      try {
        const result = await next({ ...args, input });
        const durationMs = performance.now() - started;
        const consumed = result.output.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined;
        const capacityUnits = wantsCapacity ? totalCapacityUnits(consumed) : undefined;
        onCall({ service, command, ...(capacityUnits !== undefined && { capacityUnits }), failed: false, durationMs, ...(request && { dynamoDb: { ...request, consumedCapacity: consumed } }) });
        return result;
      } catch (error) {
        onCall({ service, command, failed: true, durationMs: performance.now() - started, ...(request && { dynamoDb: request }) });
        throw error;
      }
    };
}

/**
 * Counts every AWS SDK call made in this thread from now on, reporting each to `onCall`.
 * Returns the function that restores the SDK's own `send` (for tests; a Lambda worker never
 * uninstalls). Only one installation at a time: a second call throws.
 */
export function installSdkMetrics(onCall: (call: SdkCall) => void): () => void {
  if (installed) throw new Error('SDK metrics are already installed in this thread');
  installed = true;
  const restore = addMiddlewareToEverySdkClient(MIDDLEWARE_NAME, (service) => sdkMetricsMiddleware(service, (call) => installed && onCall(call)));
  return () => {
    restore();
    installed = false;
  };
}
