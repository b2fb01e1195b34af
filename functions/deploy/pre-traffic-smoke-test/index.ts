import { CodeDeployClient, type LifecycleEventStatus, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import listProductsRequest from '../../../events/list-products.json' with { type: 'json' };
import { problemWithListProductsAnswer } from './smoke-test.ts';

// CodeDeploy's BeforeAllowTraffic hook (template.yaml, PreTrafficSmokeTestFunction). It does not
// use the shared layer: a release whose layer is broken must still be able to say so.
const lambda = new LambdaClient({});
const codeDeploy = new CodeDeployClient({});

/** What CodeDeploy invokes a Lambda lifecycle hook with. */
export interface LifecycleHookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

/**
 * Calls the new version (SMOKE_TEST_FUNCTION_ARN, a qualified ARN) with the sample GET /products,
 * checks the answer, and reports Succeeded or Failed to CodeDeploy; Failed rolls the release back.
 * A failure to report is thrown: CodeDeploy then times the hook out (1 hour) and rolls back too.
 */
export const handler = async (event: LifecycleHookEvent): Promise<{ status: LifecycleEventStatus; problem?: string }> => {
  const target = process.env.SMOKE_TEST_FUNCTION_ARN;
  const problem = target ? await smokeTest(target) : 'SMOKE_TEST_FUNCTION_ARN is not set';
  const status: LifecycleEventStatus = problem === undefined ? 'Succeeded' : 'Failed';
  console.log(JSON.stringify({ level: status === 'Succeeded' ? 'INFO' : 'ERROR', message: `Smoke test ${status}`, target, problem, deploymentId: event.DeploymentId }));
  await codeDeploy.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: event.DeploymentId,
      lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
      status,
    }),
  );
  return problem === undefined ? { status } : { status, problem };
};

async function smokeTest(target: string): Promise<string | undefined> {
  try {
    const response = await lambda.send(new InvokeCommand({ FunctionName: target, Payload: JSON.stringify(listProductsRequest) }));
    const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : 'null';
    return problemWithListProductsAnswer({ functionError: response.FunctionError, payload: JSON.parse(text) as unknown });
  } catch (error) {
    return `could not invoke ${target}: ${(error as Error).name}: ${(error as Error).message}`;
  }
}
