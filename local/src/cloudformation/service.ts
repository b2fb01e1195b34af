import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import { startCloudFormationServer } from './cloudformation-server.ts';
import { readStackOutputs } from './from-template.ts';

/** `DescribeStacks` for the local cloud as one stack (see cloudformation-server.ts). */
export interface RunningCloudFormation extends RunningService {
  endpoint: string;
  stackName: string;
}

/** Last: the outputs name the API's URL, so everything else is running. */
export const cloudFormationService: EmulatedService<'cloudformation', RunningCloudFormation> = {
  name: 'cloudformation',
  async start(context) {
    const { pseudo } = context;
    const api = context.get('apigateway');
    const outputs = readStackOutputs(context.template.template, context.resolver, { [api.api.logicalId]: api.url }, (key, reason) =>
      context.log.warn(`Stack output ${key} is not served by the local DescribeStacks: ${reason}`),
    );
    const stackId = `arn:${pseudo.partition}:cloudformation:${pseudo.region}:${pseudo.accountId}:stack/${pseudo.stackName}/00000000-0000-0000-0000-000000000000`;
    const server = await startCloudFormationServer({ stackName: pseudo.stackName, stackId, createdAt: new Date(), outputs });
    return { endpoint: server.endpoint, stackName: pseudo.stackName, stop: () => server.stop() };
  },
};
