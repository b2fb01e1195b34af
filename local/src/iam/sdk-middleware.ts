/**
 * IAM enforcement inside a local Lambda execution environment (or any thread making AWS SDK
 * calls on behalf of one principal). Handler code never changes.
 *
 * `installIamEnforcement` patches `send` on the AWS SDK's shared base client class, as
 * `local/src/lambda/sdk-metrics.ts` does, and on a client's first call adds one middleware to its
 * stack (step `initialize`, so before serialization, retries and signing). For every command
 * the middleware asks `authorize` whether the call may go ahead; when it may not, it throws the
 * error AWS would return, and the request never reaches the local service: a denied write
 * writes nothing.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AccessDenied, AccessDeniedError } from './access-denied.ts';
import type { SdkCall } from './sdk-requests.ts';

export type AuthorizeSdkCall = (call: SdkCall) => AccessDenied | undefined;

type Stack = { add: (middleware: unknown, options: { step: string; name: string; override?: boolean }) => void };
type Send = (this: { middlewareStack: Stack; config?: { serviceId?: string } }, ...args: unknown[]) => unknown;
type Next = (args: { input: Record<string, unknown> }) => Promise<unknown>;

const MIDDLEWARE_NAME = 'localCloudIam';
let installed = false;

/** The middleware `installIamEnforcement` adds to one client's stack (exported for tests). */
export function iamMiddleware(service: string, authorize: AuthorizeSdkCall) {
  return (next: Next, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
    const denied = authorize({ service, command: context.commandName ?? 'UnknownCommand', input: args.input });
    if (denied !== undefined) throw new AccessDeniedError(denied);
    return next(args);
  };
}

/**
 * Checks every AWS SDK call made in this thread from now on. Returns the function that restores
 * the SDK's own `send` (for tests). One installation per thread.
 */
export function installIamEnforcement(authorize: AuthorizeSdkCall): () => void {
  if (installed) throw new Error('IAM enforcement is already installed in this thread');
  installed = true;
  const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: Send };
  const originalSend = base.send;
  const checked = new WeakSet<Stack>();
  base.send = function send(this, ...args) {
    if (!checked.has(this.middlewareStack)) {
      checked.add(this.middlewareStack);
      const service = this.config?.serviceId ?? 'unknown';
      this.middlewareStack.add(iamMiddleware(service, (call) => (installed ? authorize(call) : undefined)), {
        step: 'initialize',
        name: MIDDLEWARE_NAME,
        override: true,
      });
    }
    return originalSend.apply(this, args);
  };
  return () => {
    base.send = originalSend;
    installed = false;
  };
}
