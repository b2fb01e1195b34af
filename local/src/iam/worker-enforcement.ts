import { type DeniedCall, type IamSnapshot, LocalIam } from './local-iam.ts';
import { installIamEnforcement } from './sdk-middleware.ts';
import { type Use, UsageRecorder } from './usage.ts';

/**
 * The worker-thread side of IAM enforcement for one local Lambda execution environment: what
 * `runtime-worker.ts` calls before it imports the handler, with what the main thread put in its
 * `workerData`. Decisions are made in the worker (no round trip per SDK call); what the main
 * thread needs to hear goes back as messages:
 *
 *   - `{ type: 'iam-use', role, use }` once per new (role, action, resource), for the usage record;
 *   - `{ type: 'iam-denied', call }` per denied call, for the console.
 */

export interface WorkerIamSettings {
  /** `LocalIam.snapshot()` of the main thread's engine. */
  snapshot: IamSnapshot;
  /** The function's logical id. */
  principal: string;
}

export type IamWorkerMessage = { type: 'iam-use'; role: string; use: Use } | { type: 'iam-denied'; call: DeniedCall };

export function enableIamInWorker(settings: WorkerIamSettings, post: (message: IamWorkerMessage) => void): () => void {
  const iam = LocalIam.fromSnapshot(settings.snapshot, {
    usage: new UsageRecorder((role, use) => post({ type: 'iam-use', role, use })),
    onDenied: (call) => post({ type: 'iam-denied', call }),
  });
  return installIamEnforcement((call) => iam.authorizeSdkCall(settings.principal, call));
}
