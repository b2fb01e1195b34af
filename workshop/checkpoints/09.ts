import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientSettings, deletedStackId, findStack, NotYet, physicalIdOf, regionOf, runStackCheck, stackNameFrom, type StackCheckpointResult } from './aws-stack.ts';

/**
 * Module 9 (clean up): the stack is deleted, and so are the two things it keeps on purpose
 * (DeletionPolicy: Retain): the orders table and the user pool. A deleted stack's resources
 * stay readable by its id for 90 days, which is how this finds their names.
 */
export default async function checkpoint(_context?: unknown, env: NodeJS.ProcessEnv = process.env): Promise<StackCheckpointResult> {
  return runStackCheck(async () => {
    const stackName = stackNameFrom(env, 9);
    const cloudFormation = new CloudFormationClient(clientSettings);
    const dynamoDb = new DynamoDBClient(clientSettings);
    const cognito = new CognitoIdentityProviderClient(clientSettings);
    try {
      const region = await regionOf(cloudFormation);
      const stack = await findStack(cloudFormation, stackName);
      if (stack !== undefined) {
        const status = stack.StackStatus ?? 'UNKNOWN';
        if (status === 'DELETE_IN_PROGRESS') throw new NotYet(`stack ${stackName} is DELETE_IN_PROGRESS: wait for sam delete to finish, then try again`);
        if (status === 'DELETE_FAILED') {
          throw new NotYet(`deleting stack ${stackName} failed, most often because the web bucket still holds files: empty it (module 9, first step) and run sam delete again`);
        }
        throw new NotYet(`stack ${stackName} still exists (${status}) in ${region}: sam delete --stack-name ${stackName}`);
      }

      const stackId = await deletedStackId(cloudFormation, stackName);
      if (stackId === undefined) return `stack ${stackName} is gone from ${region} (no record of its retained table and user pool to check)`;
      const tableName = await physicalIdOf(cloudFormation, stackId, 'OrdersTable');
      const userPoolId = await physicalIdOf(cloudFormation, stackId, 'UserPool');
      const table = await found(() => dynamoDb.send(new DescribeTableCommand({ TableName: tableName })));
      if (table !== undefined && table.Table?.TableStatus !== 'DELETING') {
        throw new NotYet(`stack ${stackName} is deleted, but it kept its table ${tableName}: aws dynamodb delete-table --table-name ${tableName}`);
      }
      if ((await found(() => cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId })))) !== undefined) {
        throw new NotYet(`stack ${stackName} is deleted, but it kept its user pool ${userPoolId}: aws cognito-idp delete-user-pool --user-pool-id ${userPoolId}`);
      }
      return `stack ${stackName} is deleted from ${region}, and so are its table ${tableName} and user pool ${userPoolId}`;
    } finally {
      cloudFormation.destroy();
      dynamoDb.destroy();
      cognito.destroy();
    }
  });
}

/** What a Describe call answers, or undefined when its resource does not exist (ResourceNotFoundException). */
async function found<T>(describe: () => Promise<T>): Promise<T | undefined> {
  try {
    return await describe();
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}
