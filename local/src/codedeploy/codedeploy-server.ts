import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerAwsJson, type AwsJsonService } from '../core/aws-json-protocol.ts';
import { AwsError } from '../core/aws-error.ts';
import { LoopbackHttpServer } from '../core/loopback-server.ts';
import type { LocalCodeDeploy, LocalDeployment } from './local-codedeploy.ts';

/**
 * The local CodeDeploy API (AWS JSON 1.1, target prefix `CodeDeploy_20141006.`): what a hook
 * function calls (PutLifecycleEventHookExecutionStatus), and CreateDeployment / GetDeployment
 * to run a group's hook the way a release does (tests, docs/operations.md "Releases").
 */
export async function startCodeDeployServer(codeDeploy: LocalCodeDeploy, port = 0): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const protocol: AwsJsonService<undefined> = {
    targetPrefix: 'CodeDeploy_20141006.',
    shapeNamespace: 'com.amazonaws.codedeploy#',
    protocolErrorNamespace: 'com.amazonaws.codedeploy#',
    internalErrorCode: 'InternalFailure',
    operations: {
      CreateDeployment: (input) => ({ deploymentId: codeDeploy.createDeployment(required(input, 'applicationName'), required(input, 'deploymentGroupName')).deploymentId }),
      GetDeployment: (input) => ({ deploymentInfo: deploymentInfo(codeDeploy.getDeployment(required(input, 'deploymentId'))) }),
      PutLifecycleEventHookExecutionStatus: (input) => {
        const hookExecutionId = required(input, 'lifecycleEventHookExecutionId');
        codeDeploy.putLifecycleEventHookExecutionStatus(required(input, 'deploymentId'), hookExecutionId, required(input, 'status'));
        return { lifecycleEventHookExecutionId: hookExecutionId };
      },
    },
  };
  const server = new LoopbackHttpServer('CodeDeploy server', port, (req: IncomingMessage, res: ServerResponse) => void answerAwsJson(protocol, req, res, () => undefined));
  const endpoint = await server.start();
  return { endpoint, stop: () => server.stop() };
}

function required(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw new AwsError('ValidationException', 400, `${name} is required`);
  return value;
}

function deploymentInfo(deployment: LocalDeployment) {
  return {
    deploymentId: deployment.deploymentId,
    applicationName: deployment.group.applicationName,
    deploymentGroupName: deployment.group.deploymentGroupName,
    deploymentConfigName: `CodeDeployDefault.Lambda${deployment.group.deploymentType}`,
    computePlatform: 'Lambda',
    status: deployment.status,
    ...(deployment.errorMessage !== undefined && { errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: deployment.errorMessage } }),
  };
}
