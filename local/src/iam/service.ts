import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import type { LocalCloudLog } from '../cloud/local-cloud-log.ts';
import { type DeniedCall, formatDeniedCall, LocalIam } from './local-iam.ts';

/** IAM for every other service: the engine, built once the resources it names have their local ARNs. */
export interface RunningIam extends RunningService {
  iam: LocalIam;
}

/**
 * The execution roles, resource policies and key policies of the template, evaluated for every
 * call a function or the state machine makes (see README.md). It starts after DynamoDB: a role
 * that names `!GetAtt OrdersTable.StreamArn` needs the stream DynamoDB Local created. SNS,
 * started earlier, asks it at delivery time only.
 */
export const iamService: EmulatedService<'iam', RunningIam> = {
  name: 'iam',
  async start(context) {
    const { log } = context;
    const iam = LocalIam.fromTemplate(context.template.template, context.resolver, {
      ...(context.options.enforceIam !== undefined && { enforce: context.options.enforceIam }),
      onDenied: (call) => logDeniedCall(log, call),
    });
    if (!iam.enforce) log.warn('IAM is not enforced (LOCAL_IAM=off): calls AWS would deny go ahead and are only logged');
    return { iam, stop: async () => {} };
  },
};

/** The console line naming the function, the action and the resource. */
export function logDeniedCall(log: Pick<LocalCloudLog, 'warn' | 'error'>, call: DeniedCall): void {
  if (call.enforced) log.error(formatDeniedCall(call));
  else log.warn(formatDeniedCall(call));
}
