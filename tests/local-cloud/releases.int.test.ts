import { CodeDeployClient, CreateDeploymentCommand, type DeploymentInfo, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { clearFault, injectFault } from '../support/faults.ts';

/**
 * A release as CodeDeploy runs it for an API function (template.yaml DeploymentPreference;
 * docs/operations.md "Releases"), against the local cloud: a deployment of
 * ListProductsFunction's group runs PreTrafficSmokeTestFunction with a lifecycle event; the hook
 * calls the new version (`!Ref ListProductsFunction.Version`) through Lambda's Invoke and reports
 * to the local PutLifecycleEventHookExecutionStatus, under its own role (IAM enforced).
 */
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const codeDeploy = new CodeDeployClient({ endpoint: inject('codeDeployEndpoint'), region: 'us-east-1', credentials, maxAttempts: 1 });
const lambda = new LambdaClient({ endpoint: inject('controlUrl'), region: 'us-east-1', credentials, maxAttempts: 1 });

async function release(deploymentGroupName: string): Promise<DeploymentInfo> {
  const { deploymentId } = await codeDeploy.send(new CreateDeploymentCommand({ applicationName: 'ServerlessDeploymentApplication', deploymentGroupName }));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { deploymentInfo } = await codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
    if (deploymentInfo?.status !== 'InProgress') return deploymentInfo!;
    if (Date.now() > deadline) throw new Error(`${deploymentId} still in progress after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('releases: the PreTraffic smoke test', { timeout: 90_000 }, () => {
  afterEach(() => clearFault('ListProductsFunction'));

  it('succeeds when the new ListProducts version answers GET /products with the catalogue', async () => {
    const deployment = await release('ListProductsFunctionDeploymentGroup');
    expect(deployment, JSON.stringify(deployment.errorInformation)).toMatchObject({ status: 'Succeeded', deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce', computePlatform: 'Lambda' });
    expect(deployment.errorInformation).toBeUndefined();
  });

  it('fails, and so rolls the release back, when the new version fails the smoke test', async () => {
    await injectFault('ListProductsFunction', { match: '"/products"', errorType: 'Error', errorMessage: 'broken release' });
    const deployment = await release('ListProductsFunctionDeploymentGroup');
    expect(deployment.status).toBe('Failed');
    expect(deployment.errorInformation?.message).toBe('The BeforeAllowTraffic hook PreTrafficSmokeTestFunction reported Failed');
  });

  it('an API function without a hook is released at once; a group that does not exist is refused', async () => {
    expect((await release('GetProductFunctionDeploymentGroup')).status).toBe('Succeeded');
    await expect(release('PublishOrderEventsFunctionDeploymentGroup')).rejects.toMatchObject({ name: 'DeploymentGroupDoesNotExistException' });
  });
});

describe('the local Lambda API and aliases', () => {
  it('invokes a function through its live alias and its version, qualified in the name or by Qualifier, and no other qualifier', async () => {
    const event = JSON.stringify({ httpMethod: 'GET', resource: '/products', path: '/products', headers: {}, queryStringParameters: null, requestContext: { requestId: 'r' } });
    for (const call of [{ FunctionName: 'ListProductsFunction:live' }, { FunctionName: 'ListProductsFunction', Qualifier: 'live' }, { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:ListProductsFunction:1' }]) {
      const response = await lambda.send(new InvokeCommand({ ...call, Payload: event }));
      expect(response.FunctionError, JSON.stringify(call)).toBeUndefined();
      expect(response.ExecutedVersion, JSON.stringify(call)).toBe('1');
      expect(JSON.parse(Buffer.from(response.Payload!).toString('utf8'))).toMatchObject({ statusCode: 200 });
    }
    expect((await lambda.send(new InvokeCommand({ FunctionName: 'ListProductsFunction', Payload: event }))).ExecutedVersion).toBe('$LATEST');
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'ListProductsFunction:2', Payload: event }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });
});
