import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { loadTemplate } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { startCloudFormationServer } from './cloudformation-server.ts';
import { readStackOutputs } from './from-template.ts';

const TEMPLATE = fileURLToPath(new URL('../../../template.yaml', import.meta.url));

describe('the local DescribeStacks', () => {
  it("resolves the template's outputs with local values, the API's URL being the local API's", async () => {
    const { template } = await loadTemplate(TEMPLATE);
    const registry = new ResourceRegistry(template, DEFAULT_PSEUDO);
    registry.register('UserPool', { ref: 'local_pool' });
    const resolver = createIntrinsicResolver({ template, resources: registry });
    const skipped: string[] = [];
    const outputs = readStackOutputs(template, resolver, { OrdersApi: 'http://127.0.0.1:3000' }, (key) => skipped.push(key));
    const byKey = Object.fromEntries(outputs.map((output) => [output.OutputKey, output.OutputValue]));
    expect(byKey).toMatchObject({ ApiUrl: 'http://127.0.0.1:3000/', UserPoolId: 'local_pool', PartnerApiKeyId: 'PartnerApiKey' });
    expect(skipped).toEqual([]);
  });

  describe('over the CloudFormation API', () => {
    let server: { endpoint: string; stop(): Promise<void> };
    let client: CloudFormationClient;
    const stack = {
      stackName: 'local',
      stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/local/00000000-0000-0000-0000-000000000000',
      createdAt: new Date('2026-11-29T00:00:00Z'),
      outputs: [{ OutputKey: 'ApiUrl', OutputValue: 'http://127.0.0.1:3000/?a=1&b=<2>', Description: 'The API' }],
    };
    beforeAll(async () => {
      server = await startCloudFormationServer(stack);
      client = new CloudFormationClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    });
    afterAll(async () => {
      client.destroy();
      await server.stop();
    });

    it('describes the stack by name or id, outputs included', async () => {
      for (const StackName of [stack.stackName, stack.stackId]) {
        const { Stacks } = await client.send(new DescribeStacksCommand({ StackName }));
        expect(Stacks).toEqual([
          expect.objectContaining({ StackName: 'local', StackId: stack.stackId, StackStatus: 'CREATE_COMPLETE', CreationTime: stack.createdAt, Outputs: stack.outputs }),
        ]);
      }
    });

    it('answers an unknown stack as CloudFormation does', async () => {
      await expect(client.send(new DescribeStacksCommand({ StackName: 'other' }))).rejects.toMatchObject({
        name: 'ValidationError',
        message: 'Stack with id other does not exist',
      });
    });
  });
});
