import { randomUUID } from 'node:crypto';
import { AwsError } from '../core/aws-error.ts';
import { localDeploymentId } from './deployment-ids.ts';
import type { LocalDeploymentGroup } from './from-template.ts';

/** What CodeDeploy gives a Lambda lifecycle hook. */
export interface LifecycleHookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

export type DeploymentStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface LocalDeployment {
  deploymentId: string;
  group: LocalDeploymentGroup;
  status: DeploymentStatus;
  /** Why it failed (the hook reported Failed, failed itself, or never reported). */
  errorMessage: string | undefined;
  /** The BeforeAllowTraffic hook's execution, while it may still report. */
  hookExecution: { id: string; status: 'Pending' | 'Succeeded' | 'Failed' } | undefined;
  /** Settles when the deployment has succeeded or failed. */
  done: Promise<LocalDeployment>;
}

/** Runs a hook function, as the local Lambda service does: its error, if it failed. */
export type InvokeHook = (functionLogicalId: string, event: LifecycleHookEvent) => Promise<{ error?: string }>;

/**
 * The part of CodeDeploy a SAM canary uses, for a local cloud whose functions have one version
 * (every alias and version runs the code on disk, so there is no traffic to shift): a deployment
 * of a group runs its PreTraffic hook with a lifecycle event and ends as the hook reports through
 * PutLifecycleEventHookExecutionStatus: Succeeded, or Failed (in AWS: rolled back). A hook that
 * returns without reporting fails the deployment at once (AWS would wait an hour for it).
 * Alarms are not watched: the local cloud has no CloudWatch.
 */
export class LocalCodeDeploy {
  private readonly deployments = new Map<string, LocalDeployment>();
  private sequence = 0;

  constructor(
    readonly groups: readonly LocalDeploymentGroup[],
    private readonly invokeHook: InvokeHook,
  ) {}

  /** CreateDeployment of a function's group (the revision is implied: the code on disk). */
  createDeployment(applicationName: string, deploymentGroupName: string): LocalDeployment {
    const group = this.groups.find((candidate) => candidate.applicationName === applicationName && candidate.deploymentGroupName === deploymentGroupName);
    if (group === undefined) {
      const known = this.groups.map((candidate) => `${candidate.applicationName}/${candidate.deploymentGroupName}`).join(', ') || 'none';
      throw new AwsError('DeploymentGroupDoesNotExistException', 400, `No deployment group ${applicationName}/${deploymentGroupName} (local groups: ${known})`);
    }
    this.sequence += 1;
    const deployment: LocalDeployment = {
      deploymentId: localDeploymentId(this.sequence, applicationName, deploymentGroupName),
      group,
      status: 'InProgress',
      errorMessage: undefined,
      hookExecution: undefined,
      done: Promise.resolve(undefined as never),
    };
    deployment.done = this.run(deployment);
    this.deployments.set(deployment.deploymentId, deployment);
    return deployment;
  }

  getDeployment(deploymentId: string): LocalDeployment {
    const deployment = this.deployments.get(deploymentId);
    if (deployment === undefined) throw new AwsError('DeploymentDoesNotExistException', 400, `Deployment ${deploymentId} does not exist`);
    return deployment;
  }

  /** What a hook calls to report; only once per execution, as in AWS. */
  putLifecycleEventHookExecutionStatus(deploymentId: string, hookExecutionId: string, status: string): void {
    const deployment = this.getDeployment(deploymentId);
    const execution = deployment.hookExecution;
    if (execution === undefined || execution.id !== hookExecutionId) {
      throw new AwsError('InvalidLifecycleEventHookExecutionIdException', 400, `No hook execution ${hookExecutionId} in deployment ${deploymentId}`);
    }
    if (status !== 'Succeeded' && status !== 'Failed') {
      throw new AwsError('InvalidLifecycleEventHookExecutionStatusException', 400, `A hook reports Succeeded or Failed, not ${status}`);
    }
    if (execution.status !== 'Pending') {
      throw new AwsError('LifecycleEventAlreadyCompletedException', 400, `Hook execution ${hookExecutionId} already reported ${execution.status}`);
    }
    execution.status = status;
  }

  private async run(deployment: LocalDeployment): Promise<LocalDeployment> {
    await Promise.resolve(); // Returned to the caller first, as CreateDeployment does.
    const hook = deployment.group.preTrafficHook;
    if (hook !== undefined) {
      const execution = { id: randomUUID(), status: 'Pending' as 'Pending' | 'Succeeded' | 'Failed' };
      deployment.hookExecution = execution;
      const outcome = await this.invokeHook(hook, { DeploymentId: deployment.deploymentId, LifecycleEventHookExecutionId: execution.id });
      if (execution.status !== 'Succeeded') {
        deployment.status = 'Failed';
        deployment.errorMessage =
          execution.status === 'Failed'
            ? `The BeforeAllowTraffic hook ${hook} reported Failed`
            : `The BeforeAllowTraffic hook ${hook} did not report a status${outcome.error === undefined ? '' : `: ${outcome.error}`}`;
        return deployment;
      }
    }
    deployment.status = 'Succeeded';
    return deployment;
  }
}
