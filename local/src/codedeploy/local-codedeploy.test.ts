import { describe, expect, it } from 'vitest';
import { deploymentGroupOfLocalId } from './deployment-ids.ts';
import type { LocalDeploymentGroup } from './from-template.ts';
import { type LifecycleHookEvent, LocalCodeDeploy } from './local-codedeploy.ts';

const group = (preTrafficHook: string | undefined): LocalDeploymentGroup => ({
  functionLogicalId: 'ListProductsFunction',
  applicationName: 'ServerlessDeploymentApplication',
  deploymentGroupName: 'ListProductsFunctionDeploymentGroup',
  deploymentType: 'Canary10Percent5Minutes',
  preTrafficHook,
  postTrafficHook: undefined,
  alarms: [],
});

/** A CodeDeploy whose hook does what `hook` says with the event it gets. */
function codeDeployWith(hook: (codeDeploy: LocalCodeDeploy, event: LifecycleHookEvent) => Promise<{ error?: string }>, preTrafficHook: string | null = 'Hook') {
  const hooked: string[] = [];
  const codeDeploy: LocalCodeDeploy = new LocalCodeDeploy([group(preTrafficHook ?? undefined)], (fn, event) => {
    hooked.push(fn);
    return hook(codeDeploy, event);
  });
  return { codeDeploy, hooked };
}

const start = (codeDeploy: LocalCodeDeploy) => codeDeploy.createDeployment('ServerlessDeploymentApplication', 'ListProductsFunctionDeploymentGroup');

describe('LocalCodeDeploy', () => {
  it('runs the group’s PreTraffic hook with a lifecycle event and succeeds when the hook reports Succeeded', async () => {
    const { codeDeploy, hooked } = codeDeployWith(async (cd, event) => {
      cd.putLifecycleEventHookExecutionStatus(event.DeploymentId, event.LifecycleEventHookExecutionId, 'Succeeded');
      return {};
    });
    const deployment = start(codeDeploy);
    expect(deployment.status).toBe('InProgress');
    expect(deploymentGroupOfLocalId(deployment.deploymentId)).toBe('ServerlessDeploymentApplication/ListProductsFunctionDeploymentGroup');
    await expect(deployment.done).resolves.toMatchObject({ status: 'Succeeded', errorMessage: undefined });
    expect(hooked).toEqual(['Hook']);
    expect(codeDeploy.getDeployment(deployment.deploymentId).status).toBe('Succeeded');
  });

  it('fails the deployment when the hook reports Failed, fails itself without reporting, or returns without reporting', async () => {
    const reportsFailed = codeDeployWith(async (cd, event) => {
      cd.putLifecycleEventHookExecutionStatus(event.DeploymentId, event.LifecycleEventHookExecutionId, 'Failed');
      return {};
    });
    await expect(start(reportsFailed.codeDeploy).done).resolves.toMatchObject({ status: 'Failed', errorMessage: 'The BeforeAllowTraffic hook Hook reported Failed' });
    const crashes = codeDeployWith(async () => ({ error: 'Error: boom' }));
    await expect(start(crashes.codeDeploy).done).resolves.toMatchObject({ status: 'Failed', errorMessage: 'The BeforeAllowTraffic hook Hook did not report a status: Error: boom' });
    const silent = codeDeployWith(async () => ({}));
    await expect(start(silent.codeDeploy).done).resolves.toMatchObject({ status: 'Failed', errorMessage: 'The BeforeAllowTraffic hook Hook did not report a status' });
  });

  it('succeeds at once without a hook', async () => {
    const { codeDeploy, hooked } = codeDeployWith(async () => ({}), null);
    await expect(start(codeDeploy).done).resolves.toMatchObject({ status: 'Succeeded' });
    expect(hooked).toEqual([]);
  });

  it('refuses what CodeDeploy refuses: an unknown group or deployment, a wrong execution id, a second report, another status', async () => {
    // The hook is still running (as a real one is while it reports) until `finish` is called.
    let finish = () => {};
    let received: (event: LifecycleHookEvent) => void = () => {};
    const hookEvent = new Promise<LifecycleHookEvent>((resolve) => (received = resolve));
    const { codeDeploy } = codeDeployWith(async (_cd, event) => {
      received(event);
      await new Promise<void>((resolve) => (finish = resolve));
      return {};
    });
    expect(() => codeDeploy.createDeployment('ServerlessDeploymentApplication', 'Nope')).toThrow(
      expect.objectContaining({ code: 'DeploymentGroupDoesNotExistException', message: expect.stringContaining('ServerlessDeploymentApplication/ListProductsFunctionDeploymentGroup') }),
    );
    expect(() => codeDeploy.getDeployment('d-EXAMPLE111')).toThrow(expect.objectContaining({ code: 'DeploymentDoesNotExistException' }));
    const deployment = start(codeDeploy);
    const { DeploymentId, LifecycleEventHookExecutionId } = await hookEvent;
    expect(() => codeDeploy.putLifecycleEventHookExecutionStatus(DeploymentId, 'other', 'Succeeded')).toThrow(expect.objectContaining({ code: 'InvalidLifecycleEventHookExecutionIdException' }));
    expect(() => codeDeploy.putLifecycleEventHookExecutionStatus(DeploymentId, LifecycleEventHookExecutionId, 'Skipped')).toThrow(
      expect.objectContaining({ code: 'InvalidLifecycleEventHookExecutionStatusException' }),
    );
    codeDeploy.putLifecycleEventHookExecutionStatus(DeploymentId, LifecycleEventHookExecutionId, 'Succeeded');
    expect(() => codeDeploy.putLifecycleEventHookExecutionStatus(DeploymentId, LifecycleEventHookExecutionId, 'Failed')).toThrow(
      expect.objectContaining({ code: 'LifecycleEventAlreadyCompletedException' }),
    );
    finish();
    await expect(deployment.done).resolves.toMatchObject({ status: 'Succeeded' });
  });

  it('reads no group from ids it did not make', () => {
    expect(deploymentGroupOfLocalId('d-EXAMPLE111')).toBeUndefined();
  });
});
