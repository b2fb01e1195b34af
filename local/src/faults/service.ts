import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import { FAULT_PLAN_ENV, isActive, parseFaultPlan } from './fault-plan.ts';
import { type LocalFaults, startLocalFaults } from './local-faults.ts';

/** The fault plan at work, or none (the default). */
export interface RunningFaults extends RunningService {
  faults: LocalFaults | undefined;
}

/**
 * The fault plan (a local test facility, see fault-plan.ts). With DynamoDB throttling on, the
 * functions and state machines reach DynamoDB through the throttle proxy, which replaces
 * DynamoDB's function endpoint. Start-up arms it only once the cloud is seeded.
 */
export const faultsService: EmulatedService<'faults', RunningFaults> = {
  name: 'faults',
  async start(context) {
    const { options } = context;
    const plan = options.faults === undefined ? parseFaultPlan(process.env[FAULT_PLAN_ENV] ?? '') : (options.faults ?? undefined);
    if (!isActive(plan)) return { faults: undefined, stop: async () => {} };
    const faults = await startLocalFaults(plan, context.get('dynamodb').endpoint);
    return { faults, functionEndpoints: { DYNAMODB: faults.dynamoDbEndpoint }, stop: faults.stop };
  },
};
