import type { LocalLambdaService } from '../lambda/lambda-service.ts';
import { describeFaultPlan, type FaultPlan } from './fault-plan.ts';
import { FaultTally, type FaultTallySnapshot } from './fault-tally.ts';
import { type DynamoDbThrottleProxy, startDynamoDbThrottleProxy } from './dynamodb-throttle-proxy.ts';
import { installFunctionFaults } from './function-faults.ts';
import { seededRandom } from './random.ts';

/**
 * The fault plan at work in a local cloud, in two steps: `startLocalFaults` before the
 * functions and state machines are created (it starts the DynamoDB throttle proxy they must
 * talk to), `arm` once the cloud is seeded (faults never hit start-up). `disarm` turns every
 * fault off, e.g. before redriving dead letters.
 */
export interface LocalFaults {
  plan: FaultPlan;
  /** Where the functions and state machines reach DynamoDB: the proxy, or DynamoDB Local itself. */
  dynamoDbEndpoint: string;
  tally: FaultTally;
  arm(lambda: LocalLambdaService): void;
  disarm(): void;
  snapshot(): FaultTallySnapshot;
  describe(): string;
  stop(): Promise<void>;
}

export async function startLocalFaults(plan: FaultPlan, dynamoDbEndpoint: string): Promise<LocalFaults> {
  const random = seededRandom(plan.seed ?? 1);
  const tally = new FaultTally();
  const throttling = (plan.dynamoDbThrottleRate ?? 0) > 0;
  const proxy: DynamoDbThrottleProxy | undefined = throttling
    ? await startDynamoDbThrottleProxy({ target: dynamoDbEndpoint, random, tally })
    : undefined;
  let armedOn: LocalLambdaService | undefined;
  let installed: string[] = [];

  return {
    plan,
    dynamoDbEndpoint: proxy?.endpoint ?? dynamoDbEndpoint,
    tally,
    arm(lambda) {
      armedOn = lambda;
      installed = installFunctionFaults(lambda, plan, random, tally);
      proxy?.setRate(plan.dynamoDbThrottleRate ?? 0);
    },
    disarm() {
      for (const logicalId of installed) armedOn?.clearFault(logicalId);
      installed = [];
      proxy?.setRate(0);
    },
    snapshot: () => tally.snapshot(),
    describe: () => describeFaultPlan(plan),
    stop: async () => proxy?.close(),
  };
}
