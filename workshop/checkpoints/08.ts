import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { BatchGetDeploymentsCommand, CodeDeployClient, type DeploymentInfo, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  clientSettings,
  NotYet,
  physicalIdOf,
  regionOf,
  runStackCheck,
  settledStack,
  stackNameFrom,
  type StackCheckpointResult,
} from './aws-stack.ts';

/** The function module 8 releases badly, then well (workshop/releases/*.patch). */
export const RELEASED_FUNCTION = 'GetProductFunction';

/**
 * Module 8 (release safely): CodeDeploy stopped a release of GetProductFunction and rolled it
 * back (the bad one), a later release of it succeeded (the good one, or the module's last step,
 * which deploys the repository's code again), and the stack's last update completed rather than
 * rolled back. It does not ask for a canary now: the module ends by going back to the
 * repository's settings (dev releases AllAtOnce), so that it can be run again.
 */
export default async function checkpoint(_context?: unknown, env: NodeJS.ProcessEnv = process.env): Promise<StackCheckpointResult> {
  return runStackCheck(async () => {
    const stackName = stackNameFrom(env, 8);
    const cloudFormation = new CloudFormationClient(clientSettings);
    const codeDeploy = new CodeDeployClient(clientSettings);
    try {
      const region = await regionOf(cloudFormation);
      const stack = await settledStack(cloudFormation, stackName, region, ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);

      const application = await physicalIdOf(cloudFormation, stackName, 'ServerlessDeploymentApplication');
      const group = await physicalIdOf(cloudFormation, stackName, `${RELEASED_FUNCTION}DeploymentGroup`);
      const deployments = await deploymentsNewestFirst(codeDeploy, application, group);
      const stopped = deployments.findIndex((deployment) => deployment.status === 'Stopped' || deployment.status === 'Failed');
      if (stopped < 0) {
        throw new NotYet(
          `no release of ${RELEASED_FUNCTION} has been stopped and rolled back yet (${deployments.length} deployments in ${group}): turn the canary on and ship the bad release (module 8)`,
        );
      }
      const succeededAfter = deployments.slice(0, stopped).find((deployment) => deployment.status === 'Succeeded');
      if (stack.StackStatus === 'UPDATE_ROLLBACK_COMPLETE' || succeededAfter === undefined) {
        throw new NotYet(`the bad release was rolled back (${deployments[stopped]?.deploymentId}, ${deployments[stopped]?.status}); now ship the good one (module 8, "A good release")`);
      }
      return `${RELEASED_FUNCTION}'s bad release ${deployments[stopped]?.deploymentId} was ${deployments[stopped]?.status?.toLowerCase()} and rolled back; ${succeededAfter.deploymentId} succeeded after it; stack ${stackName} is ${stack.StackStatus}`;
    } finally {
      cloudFormation.destroy();
      codeDeploy.destroy();
    }
  });
}

async function deploymentsNewestFirst(codeDeploy: CodeDeployClient, applicationName: string, deploymentGroupName: string): Promise<DeploymentInfo[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await codeDeploy.send(new ListDeploymentsCommand({ applicationName, deploymentGroupName, nextToken }));
    ids.push(...(page.deployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined && ids.length < 100);
  const infos: DeploymentInfo[] = [];
  for (let start = 0; start < ids.length; start += 25) {
    const { deploymentsInfo } = await codeDeploy.send(new BatchGetDeploymentsCommand({ deploymentIds: ids.slice(start, start + 25) }));
    infos.push(...(deploymentsInfo ?? []));
  }
  return infos.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
}
