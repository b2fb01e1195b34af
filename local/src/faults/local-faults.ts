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
 * fault off, e.g. before redriving dead letters. `hold` makes a function fail every input that
 * contains a text until `disarm` (e.g. one product's orders, to park their messages in a DLQ).
 */
export interface LocalFaults {
  plan: FaultPlan;
  /** Where the functions and state machines reach DynamoDB: the proxy, or DynamoDB Local itself. */
  dynamoDbEndpoint: string;
  tally: FaultTally;
  arm(lambda: LocalLambdaService): void;
  disarm(): void;
  /** From now until `disarm`, `functionLogicalId` fails every input (or batch record) containing `text`. */
  hold(functionLogicalId: string, text: string): void;
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
  const held = new Map<string, string[]>();

  return {
    plan,
    dynamoDbEndpoint: proxy?.endpoint ?? dynamoDbEndpoint,
    tally,
    arm(lambda) {
      armedOn = lambda;
      installed = installFunctionFaults(lambda, plan, random, tally, held);
      proxy?.setRate(plan.dynamoDbThrottleRate ?? 0);
    },
    disarm() {
      for (const logicalId of installed) armedOn?.clearFault(logicalId);
      installed = [];
      held.clear();
      armedOn = undefined;
      proxy?.setRate(0);
    },
    hold(functionLogicalId, text) {
      if (text === '') throw new Error('A held input needs a non-empty text to match');
      if (armedOn === undefined) throw new Error('The faults are not armed');
      held.set(functionLogicalId, [...(held.get(functionLogicalId) ?? []), text]);
      installed = installFunctionFaults(armedOn, plan, random, tally, held);
    },
    snapshot: () => tally.snapshot(),
    describe: () => describeFaultPlan(plan),
    stop: async () => proxy?.close(),
  };
}
