import { randomUUID } from 'node:crypto';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AdminDeleteUserCommand, CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { ProvidedContext } from 'vitest';
import type { QueueSummary } from '#local/cloud/queue-summary.ts';
import { seedCatalog } from '#local/seed/seed-catalog.ts';
import { readSeedCatalog } from '#local/seed/seed-files.ts';
import { seedUsers } from '#local/seed/seed-users.ts';
import { idTokenFor } from '#local/seed/sign-in.ts';

/**
 * The HTTP and end-to-end suites against a deployed stack (`npm run test:stack -- --stack
 * <name>`): everything comes from the stack's outputs (`DescribeStacks`) and the AWS APIs, on
 * the default credential chain (AWS_PROFILE, AWS_REGION, ...). The run creates its own users
 * with the Cognito admin API (three with the seeded users' roles, plus each test's own), all
 * named `test-<run>-...@example.com` and deleted at the end, and a catalog like the seeded one
 * through the API (products cannot be deleted through the API; they stay in the table).
 */

/** The outputs of template.yaml the suites need; the others are optional. */
const REQUIRED_OUTPUTS = ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'TableName'] as const;

/** What the suites reach, by SDK service id: a set AWS_ENDPOINT_URL_<ID> wins, as in the SDK. */
function endpointOf(serviceId: string, hostPrefix: string, region: string): string {
  return process.env[`AWS_ENDPOINT_URL_${serviceId}`] || process.env.AWS_ENDPOINT_URL || `https://${hostPrefix}.${region}.amazonaws.com`;
}

export type StackContext = Pick<
  ProvidedContext,
  | 'target'
  | 'apiUrl'
  | 'region'
  | 'userPoolId'
  | 'clientId'
  | 'cognitoEndpoint'
  | 'dynamoEndpoint'
  | 'dynamoDbEndpoint'
  | 'sqsEndpoint'
  | 'snsEndpoint'
  | 'sfnEndpoint'
  | 'tableName'
  | 'tableNames'
  | 'queues'
  | 'queueUrls'
  | 'stateMachineArns'
  | 'topicArns'
  | 'password'
  | 'products'
  | 'productIds'
  | 'users'
  | 'roleUsers'
  | 'testUserPrefix'
>;

export async function resolveStackTarget(stackName: string): Promise<{ context: StackContext; cleanup(): Promise<void> }> {
  const cloudFormation = new CloudFormationClient({});
  const region = await cloudFormation.config.region();
  const stack = await cloudFormation
    .send(new DescribeStacksCommand({ StackName: stackName }))
    .then(({ Stacks }) => Stacks?.[0])
    .finally(() => cloudFormation.destroy());
  const outputs = Object.fromEntries((stack?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
  const missing = REQUIRED_OUTPUTS.filter((key) => !outputs[key]);
  if (missing.length > 0) throw new Error(`Stack ${stackName} has no output ${missing.join(', ')}: is it this project's stack (template.yaml)?`);

  const run = randomUUID().slice(0, 8);
  const testUserPrefix = `test-${run}-`;
  const password = `Tt1!${randomUUID()}`;
  const roleUsers = { alice: `${testUserPrefix}alice@example.com`, bob: `${testUserPrefix}bob@example.com`, admin: `${testUserPrefix}admin@example.com` };
  const cognitoEndpoint = endpointOf('COGNITO_IDENTITY_PROVIDER', 'cognito-idp', region);
  const cognito = new CognitoIdentityProviderClient({});
  const userPoolId = outputs.UserPoolId!;
  const cleanup = async () => {
    try {
      await deleteUsersNamed(cognito, userPoolId, testUserPrefix);
    } finally {
      cognito.destroy();
    }
  };

  try {
    await seedUsers(
      cognito,
      { userPoolId, passwordPolicy: {}, groups: ['admin'] },
      { password, users: [{ email: roleUsers.alice, groups: [] }, { email: roleUsers.bob, groups: [] }, { email: roleUsers.admin, groups: ['admin'] }] },
    );
    const apiUrl = outputs.ApiUrl!.replace(/\/+$/, '');
    const adminToken = await idTokenFor(cognitoEndpoint, outputs.UserPoolClientId!, roleUsers.admin, password, region);
    const products = await seedCatalog(apiUrl, adminToken, await readSeedCatalog());
    const queues = queuesFromOutputs(outputs);
    const dynamoEndpoint = endpointOf('DYNAMODB', 'dynamodb', region);
    return {
      cleanup,
      context: {
        target: 'stack',
        apiUrl,
        region,
        userPoolId,
        clientId: outputs.UserPoolClientId!,
        cognitoEndpoint,
        dynamoEndpoint,
        dynamoDbEndpoint: dynamoEndpoint,
        sqsEndpoint: endpointOf('SQS', 'sqs', region),
        snsEndpoint: endpointOf('SNS', 'sns', region),
        sfnEndpoint: endpointOf('SFN', 'states', region),
        tableName: outputs.TableName!,
        tableNames: { OrdersTable: outputs.TableName! },
        queues: Object.fromEntries(queues.map((queue) => [queue.logicalId, queue])),
        queueUrls: Object.fromEntries(queues.map((queue) => [queue.logicalId, queue.url])),
        stateMachineArns: outputs.FulfilmentStateMachineArn ? { FulfilmentStateMachine: outputs.FulfilmentStateMachineArn } : {},
        topicArns: outputs.OrderEventsTopicArn ? { OrderEventsTopic: outputs.OrderEventsTopicArn } : {},
        password,
        products,
        productIds: products.map((product) => product.productId),
        users: Object.values(roleUsers),
        roleUsers,
        testUserPrefix,
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The stack's queues from its `<Queue>Url` outputs, enough to read their depths. */
function queuesFromOutputs(outputs: Record<string, string>): QueueSummary[] {
  return Object.entries(outputs)
    .filter(([key]) => key.endsWith('QueueUrl') || key.endsWith('DLQUrl'))
    .map(([key, url]) => {
      const name = url.split('/').pop() ?? key;
      return { logicalId: key.replace(/Url$/, ''), name, url, arn: '', deadLetterFor: [] };
    });
}

async function deleteUsersNamed(cognito: CognitoIdentityProviderClient, userPoolId: string, prefix: string): Promise<void> {
  let PaginationToken: string | undefined;
  do {
    const page = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: `email ^= "${prefix}"`, PaginationToken }));
    for (const user of page.Users ?? []) {
      if (user.Username !== undefined) await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: user.Username }));
    }
    PaginationToken = page.PaginationToken;
  } while (PaginationToken !== undefined);
}
