import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import { startCodeDeployServer } from './codedeploy-server.ts';
import { readDeploymentGroups } from './from-template.ts';
import { LocalCodeDeploy } from './local-codedeploy.ts';

export interface RunningCodeDeploy extends RunningService {
  endpoint: string;
  codeDeploy: LocalCodeDeploy;
}

/**
 * The deployment groups of the template's `DeploymentPreference`s on a local CodeDeploy API: a
 * deployment runs the group's PreTraffic hook function (through the Lambda service) and ends as
 * the hook reports. Functions reach it as `AWS_ENDPOINT_URL_CODEDEPLOY`.
 */
export const codeDeployService: EmulatedService<'codedeploy', RunningCodeDeploy> = {
  name: 'codedeploy',
  async start(context) {
    const { lambda } = context.get('lambda');
    const codeDeploy = new LocalCodeDeploy(readDeploymentGroups(context.template.template, context.resolver), async (hook, event) => {
      const outcome = await lambda.invoke(hook, event);
      return outcome.kind === 'success' ? {} : { error: `${outcome.error.errorType}: ${outcome.error.errorMessage}` };
    });
    const server = await startCodeDeployServer(codeDeploy);
    return { endpoint: server.endpoint, codeDeploy, functionEndpoints: { CODEDEPLOY: server.endpoint }, stop: () => server.stop() };
  },
};
