import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalCloud } from '#local/cloud/local-cloud.ts';
import { fileLog } from '#local/cloud/local-cloud-log.ts';
import { LOCAL_CLOUD_DIRECTORY, REPOSITORY_ROOT } from '#local/cloud/state-file.ts';
import { parseTimeScale } from '#local/core/time-scale.ts';
import { freePort } from '#local/core/ports.ts';

/**
 * Global setup of the `integration` project: the whole local cloud from template.yaml, on
 * free ports (so it runs beside a developer's `npm start`), seeded with the demo users and
 * catalog. Everything it logs goes to .local-cloud/logs/integration.log; 5XX causes are also
 * printed. Teardown stops every process it started.
 *
 * Queue time runs 50 times faster (LOCAL_CLOUD_TIME_SCALE, default 0.02 here): a message that
 * keeps failing reaches its DLQ after maxReceiveCount visibility timeouts in seconds, not minutes.
 */
const INTEGRATION_TIME_SCALE = '0.02';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [api, dynamoDb, cognito] = await Promise.all([freePort(), freePort(), freePort()]);
  const cognitoDataDirectory = await mkdtemp(join(tmpdir(), 'local-cloud-cognito-'));
  const logPath = join(LOCAL_CLOUD_DIRECTORY, 'logs', 'integration.log');
  const log = await fileLog(logPath);

  const cloud = await startLocalCloud({
    templatePath: join(REPOSITORY_ROOT, 'template.yaml'),
    ports: { api, dynamoDb, cognito },
    cognitoDataDirectory,
    log,
    timeScale: parseTimeScale(process.env.LOCAL_CLOUD_TIME_SCALE || INTEGRATION_TIME_SCALE),
  }).catch(async (error: unknown) => {
    await log.close();
    throw error;
  });

  const ordersTable = cloud.tables.find((table) => table.logicalId === 'OrdersTable') ?? cloud.tables[0];
  project.provide('apiUrl', cloud.apiUrl);
  project.provide('dynamoEndpoint', cloud.dynamoDbEndpoint);
  project.provide('tableName', ordersTable?.tableName ?? '');
  project.provide('tableNames', Object.fromEntries(cloud.tables.map((table) => [table.logicalId, table.tableName])));
  project.provide('cognitoEndpoint', cloud.cognitoEndpoint);
  project.provide('userPoolId', cloud.userPoolId);
  project.provide('clientId', cloud.clientId);
  project.provide('region', cloud.region);
  project.provide('users', cloud.users);
  project.provide('password', cloud.password);
  project.provide('products', cloud.products);
  project.provide('productIds', cloud.products.map((product) => product.productId));
  project.provide('localCloudLog', logPath);
  project.provide('sqsEndpoint', cloud.sqsEndpoint);
  project.provide('snsEndpoint', cloud.snsEndpoint);
  project.provide('sfnEndpoint', cloud.sfnEndpoint);
  project.provide('stateMachineArns', Object.fromEntries(cloud.stepFunctions.stateMachines.map((machine) => [machine.logicalId, machine.arn])));
  project.provide('controlUrl', cloud.controlUrl);
  project.provide('timeScale', cloud.timeScale);
  project.provide('queues', Object.fromEntries(cloud.queues.map((queue) => [queue.logicalId, queue])));
  project.provide('queueUrls', Object.fromEntries(cloud.queues.map((queue) => [queue.logicalId, queue.url])));
  project.provide('topicArns', Object.fromEntries(cloud.messaging.topics.map((topic) => [topic.logicalId, topic.arn])));

  return async () => {
    await cloud.stop();
    await log.close();
    await rm(cognitoDataDirectory, { recursive: true, force: true });
  };
}
