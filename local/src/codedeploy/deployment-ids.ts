/**
 * Local deployment ids name their deployment group (`d-1.ServerlessDeploymentApplication.
 * ListProductsFunctionDeploymentGroup`): IAM authorizes a hook's
 * PutLifecycleEventHookExecutionStatus on the deployment's group, and the IAM check in a
 * function's worker has only the request to go by. AWS's ids are opaque (`d-ABCDEF123`); nothing
 * parses them but this.
 */
export function localDeploymentId(sequence: number, applicationName: string, deploymentGroupName: string): string {
  return `d-${sequence}.${applicationName}.${deploymentGroupName}`;
}

/** The `<application>/<group>` of a local deployment id, or undefined for any other id. */
export function deploymentGroupOfLocalId(deploymentId: string): string | undefined {
  const match = /^d-\d+\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(deploymentId);
  return match === null ? undefined : `${match[1]}/${match[2]}`;
}
