import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { type LocalCloud, startLocalCloudOnFreePorts } from '#local/cloud/local-cloud.ts';
import { fileLog } from '#local/cloud/local-cloud-log.ts';
import { LOCAL_CLOUD_DIRECTORY, REPOSITORY_ROOT } from '#local/cloud/state-file.ts';
import { resolveStackTarget } from './stack-target.ts';

/**
 * Global setup of the `stack` project: the HTTP and end-to-end suites (tests/http) against the
 * stack TEST_STACK names (`npm run test:stack -- --stack <name>`), see stack-target.ts.
 *
 * With TEST_STACK_LOCAL=1 (`npm run test:stack:local`, run by CI) the "stack" is a local cloud
 * started here, reached the way a deployed stack is: its outputs through CloudFormation's
 * DescribeStacks (the local stand-in) and every service through its AWS API on the endpoints
 * AWS_ENDPOINT_URL_<SERVICE> names; nothing of the cloud's internals.
 */
const LOCAL_ONLY_SUITES = ['tests/local-cloud/*.int.test.ts', 'local/src/**/*.int.test.ts'];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stackName = process.env.TEST_STACK;
  if (!stackName) throw new Error('The stack project needs TEST_STACK=<stack name>: npm run test:stack -- --stack <name>');
  const local = process.env.TEST_STACK_LOCAL === '1' ? await startLocalStack() : undefined;
  try {
    const { context, cleanup } = await resolveStackTarget(stackName);
    for (const key of Object.keys(context) as Array<keyof typeof context>) project.provide(key, context[key] as ProvidedContext[typeof key]);
    console.log(
      `Testing stack ${stackName} (${context.apiUrl}) as ${context.roleUsers?.admin} and other test-${context.testUserPrefix?.split('-')[1]}-* users.\n` +
        `Skipped in stack mode, as they need the local cloud's internals (fault plan, time scale, in-process reads): ${LOCAL_ONLY_SUITES.join(', ')}.`,
    );
    return async () => {
      try {
        await cleanup();
      } finally {
        await local?.stop();
      }
    };
  } catch (error) {
    await local?.stop();
    throw error;
  }
}

async function startLocalStack(): Promise<{ stop(): Promise<void> }> {
  const cognitoDataDirectory = await mkdtemp(join(tmpdir(), 'local-cloud-stack-'));
  const log = await fileLog(join(LOCAL_CLOUD_DIRECTORY, 'logs', 'stack.log'));
  let cloud: LocalCloud | undefined;
  const stop = async () => {
    await cloud?.stop();
    await log.close();
    await rm(cognitoDataDirectory, { recursive: true, force: true });
  };
  try {
    // Like the integration project's cloud (50 times faster queue time), so sagas end quickly.
    cloud = await startLocalCloudOnFreePorts({ templatePath: join(REPOSITORY_ROOT, 'template.yaml'), cognitoDataDirectory, log, timeScale: 0.02 });
  } catch (error) {
    await stop();
    throw error;
  }
  // The endpoints a deployed stack's services have in AWS, here the local ones (read by the SDK),
  // and the local cloud's region and dummy credentials in place of a profile's.
  Object.assign(process.env, {
    AWS_REGION: cloud.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_CLOUDFORMATION: cloud.cloudFormationEndpoint,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cloud.cognitoEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: cloud.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_SQS: cloud.sqsEndpoint,
    AWS_ENDPOINT_URL_SNS: cloud.snsEndpoint,
    AWS_ENDPOINT_URL_SFN: cloud.sfnEndpoint,
  });
  return { stop };
}
