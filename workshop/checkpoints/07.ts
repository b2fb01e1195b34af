import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { clientSettings, getJson, NotYet, regionOf, requireOutputs, runStackCheck, settledStack, stackNameFrom, type StackCheckpointResult } from './aws-stack.ts';

/**
 * Module 7 (deploy): the learner's stack is deployed and settled, its API answers the public
 * catalogue, and the web app on CloudFront is uploaded and configured for this stack's API.
 */
export default async function checkpoint(_context?: unknown, env: NodeJS.ProcessEnv = process.env): Promise<StackCheckpointResult> {
  return runStackCheck(async () => {
    const stackName = stackNameFrom(env, 7);
    const cloudFormation = new CloudFormationClient(clientSettings);
    try {
      const region = await regionOf(cloudFormation);
      const stack = await settledStack(cloudFormation, stackName, region, ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);
      const { ApiUrl, WebUrl } = requireOutputs(stack, ['ApiUrl', 'WebUrl'] as const);
      const apiUrl = ApiUrl.replace(/\/+$/, '');

      const products = await getJson(`${apiUrl}/products`);
      const items = (products.body as { items?: unknown } | null)?.items;
      if (products.status !== 200 || !Array.isArray(items)) {
        throw new NotYet(`GET ${apiUrl}/products answered ${products.status}, expected 200 with a list of items: ${JSON.stringify(products.body).slice(0, 120)}`);
      }

      const config = await getJson(`${WebUrl.replace(/\/+$/, '')}/config.json`);
      if (config.status !== 200) {
        throw new NotYet(`the web app is not uploaded (GET ${WebUrl}/config.json answered ${config.status}): npm run web:deploy -- --stack ${stackName}`);
      }
      const configuredApi = String((config.body as { apiUrl?: unknown } | null)?.apiUrl ?? '').replace(/\/+$/, '');
      if (configuredApi !== apiUrl) {
        throw new NotYet(`the web app at ${WebUrl} calls ${configuredApi || 'no API'}, not this stack's ${apiUrl}: npm run web:deploy -- --stack ${stackName}`);
      }
      return `stack ${stackName} is ${stack.StackStatus} in ${region}; GET /products answers 200 (${items.length} products); the web app at ${WebUrl} uses this API`;
    } finally {
      cloudFormation.destroy();
    }
  });
}
