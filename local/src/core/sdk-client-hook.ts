import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

type Stack = { add: (middleware: unknown, options: { step: string; name: string; override?: boolean }) => void };
type Send = (this: { middlewareStack: Stack; config?: { serviceId?: string } }, ...args: unknown[]) => unknown;

/**
 * Adds a middleware (step `initialize`: before serialization, retries and signing) to every AWS
 * SDK v3 client that sends from this thread from now on, the handler's own clients included,
 * without touching handler code. Every client shares Smithy's base `Client` class, reached here
 * through `DynamoDBClient`; its `send` is patched to add the middleware on a client's first call.
 * Returns the function that restores the previous `send`. The local cloud's Lambda workers use it
 * for IAM enforcement (iam/sdk-middleware.ts) and for the bench's SDK metrics
 * (lambda/sdk-metrics.ts); each may be installed on top of the other.
 */
export function addMiddlewareToEverySdkClient(name: string, middlewareFor: (serviceId: string) => unknown): () => void {
  const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: Send };
  const previousSend = base.send;
  const added = new WeakSet<Stack>();
  base.send = function send(this, ...args) {
    if (!added.has(this.middlewareStack)) {
      added.add(this.middlewareStack);
      this.middlewareStack.add(middlewareFor(this.config?.serviceId ?? 'unknown'), { step: 'initialize', name, override: true });
    }
    return previousSend.apply(this, args);
  };
  return () => {
    base.send = previousSend;
  };
}
