import { AwsError } from '../core/aws-error.ts';
import { answerAwsQuery, escapeXml } from '../core/aws-query-protocol.ts';
import { LoopbackHttpServer } from '../core/loopback-server.ts';
import type { StackOutput } from './from-template.ts';

/**
 * A stand-in for CloudFormation's `DescribeStacks` (query protocol, `AWS_ENDPOINT_URL_CLOUDFORMATION`):
 * one stack, the local cloud, with the template's outputs resolved locally. It exists so that
 * what reads a deployed stack's outputs (the test suites in stack mode, `npm run test:stack`)
 * can be pointed at the local cloud and exercise that path without an AWS account.
 */
export interface LocalStack {
  stackName: string;
  stackId: string;
  createdAt: Date;
  outputs: StackOutput[];
}

export async function startCloudFormationServer(stack: LocalStack, port = 0): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const protocol = {
    xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
    actions: {
      DescribeStacks: (params: URLSearchParams) => {
        const name = params.get('StackName');
        if (name !== null && name !== stack.stackName && name !== stack.stackId) {
          throw new AwsError('ValidationError', 400, `Stack with id ${name} does not exist`);
        }
        return `<Stacks>${stackXml(stack)}</Stacks>`;
      },
    },
  };
  const http = new LoopbackHttpServer('local CloudFormation (DescribeStacks)', port, (req, res) => void answerAwsQuery(protocol, req, res));
  return { endpoint: await http.start(), stop: () => http.stop() };
}

function stackXml(stack: LocalStack): string {
  const outputs = stack.outputs
    .map(
      (output) =>
        `<member><OutputKey>${escapeXml(output.OutputKey)}</OutputKey><OutputValue>${escapeXml(output.OutputValue)}</OutputValue>` +
        (output.Description === undefined ? '' : `<Description>${escapeXml(output.Description)}</Description>`) +
        '</member>',
    )
    .join('');
  return (
    `<member><StackName>${escapeXml(stack.stackName)}</StackName><StackId>${escapeXml(stack.stackId)}</StackId>` +
    `<CreationTime>${stack.createdAt.toISOString()}</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>` +
    `<Outputs>${outputs}</Outputs></member>`
  );
}
