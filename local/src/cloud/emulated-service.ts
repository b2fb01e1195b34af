import type { IntrinsicResolver, PseudoParameters } from '../template/intrinsics.ts';
import type { LoadedTemplate } from '../template/load-template.ts';
import type { ResourceRegistry } from '../template/resource-registry.ts';
import type { LocalCloudOptions } from './local-cloud.ts';
import type { LocalCloudLog } from './local-cloud-log.ts';
import type { RunningServices } from './services.ts';

/**
 * The shape of every emulated service: a descriptor that start-up (cloud/local-cloud.ts) walks
 * in the order of `LOCAL_SERVICES` (cloud/services.ts). A service reads its resources from the
 * template (its `from-template.ts`), starts its engine and its endpoint, registers its
 * resources' local values, and reaches the services started before it through `context.get`.
 */
export interface EmulatedService<Name extends string = string, Running extends RunningService = RunningService> {
  /** Its key in `RunningServices` (`context.get(name)`), which is derived from `LOCAL_SERVICES`. */
  name: Name;
  /**
   * The option of `LocalCloudOptions.ports` it listens on, if it takes one: start-up checks
   * every such port is free before anything starts, naming the variable that changes it.
   * 0 or unset means any free port, which needs no check.
   */
  port?: ServicePort;
  /**
   * Optional, run for every service before any starts: registers local values that need no
   * running server (a state machine's ARN), so functions read later see them.
   */
  register?(context: ServiceContext): void;
  start(context: ServiceContext): Promise<Running>;
}

export interface ServicePort {
  option: keyof LocalCloudOptions['ports'];
  /** For the message when it is taken (`Port 8710 (local SQS) is already in use`). */
  purpose: string;
  /** The variable of `npm start` that sets it (cli/start.ts). */
  envVariable: string;
}

/** What every running service gives back. */
export interface RunningService {
  /** Stops it; start-up stops services in the reverse order of starting them. */
  stop(): Promise<void>;
  /**
   * Its endpoints for the functions, by AWS SDK service id: each becomes
   * `AWS_ENDPOINT_URL_<ID>` in every function (`{ SQS: 'http://127.0.0.1:8710' }`). A later
   * service may replace an earlier one's (the fault plan's DynamoDB throttle proxy does).
   */
  functionEndpoints?: Record<string, string>;
}

export interface ServiceContext {
  options: LocalCloudOptions;
  template: LoadedTemplate;
  resolver: IntrinsicResolver;
  /** Where services register their resources' local values (`!Ref FulfilmentQueue` → its URL). */
  registry: ResourceRegistry;
  pseudo: PseudoParameters;
  /** See core/time-scale.ts; 1 runs everything exactly as the template says. */
  timeScale: number;
  log: LocalCloudLog;
  /**
   * The endpoints of every service started so far, by AWS SDK service id. The same object
   * grows as services start; functions build their environments from it at their first
   * invocation, after start-up.
   */
  functionEndpoints: Record<string, string>;
  /** A service started earlier in the list; throws if it is not running (the list's order is wrong). */
  get<Name extends keyof RunningServices>(name: Name): RunningServices[Name];
}
