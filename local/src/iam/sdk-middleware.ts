/**
 * IAM enforcement inside a local Lambda execution environment (or any thread making AWS SDK
 * calls on behalf of one principal). Handler code never changes.
 *
 * `installIamEnforcement` adds one middleware to every SDK client's stack
 * (`core/sdk-client-hook.ts`, step `initialize`, so before serialization, retries and signing). For every command
 * the middleware asks `authorize` whether the call may go ahead; when it may not, it throws the
 * error AWS would return, and the request never reaches the local service: a denied write
 * writes nothing.
 */
import { addMiddlewareToEverySdkClient } from '../core/sdk-client-hook.ts';
import { type AccessDenied, AccessDeniedError } from './access-denied.ts';
import type { SdkCall } from './sdk-requests.ts';

export type AuthorizeSdkCall = (call: SdkCall) => AccessDenied | undefined;

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
  const restore = addMiddlewareToEverySdkClient(MIDDLEWARE_NAME, (service) => iamMiddleware(service, (call) => (installed ? authorize(call) : undefined)));
  return () => {
    restore();
    installed = false;
  };
}
