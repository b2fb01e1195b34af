import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { inject } from 'vitest';
import { targetCredentials } from './target.ts';

let client: SFNClient | undefined;
const stepFunctions = () =>
  (client ??= new SFNClient({
    endpoint: inject('sfnEndpoint'),
    region: inject('region'),
    ...targetCredentials(),
  }));

/** The fulfilment executions of an order (named after it): normally exactly one. */
export async function fulfilmentExecutions(orderId: string): Promise<DescribeExecutionCommandOutput[]> {
  const stateMachineArn = inject('stateMachineArns').FulfilmentStateMachine;
  if (stateMachineArn === undefined) throw new Error('The template has no FulfilmentStateMachine');
  const { executions = [] } = await stepFunctions().send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }));
  const named = executions.filter((execution) => execution.name === orderId);
  return Promise.all(named.map(({ executionArn }) => stepFunctions().send(new DescribeExecutionCommand({ executionArn }))));
}
