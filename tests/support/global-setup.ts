import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalCloudOnFreePorts } from '#local/cloud/local-cloud.ts';
import { describeLocalCloud, type LocalCloudDescription } from '#local/cloud/description.ts';
import { fileLog } from '#local/cloud/local-cloud-log.ts';
import { LOCAL_CLOUD_DIRECTORY, REPOSITORY_ROOT } from '#local/cloud/state-file.ts';
import { parseTimeScale } from '#local/core/time-scale.ts';
import { writeLeastPrivilegeReport } from '#local/iam/least-privilege.ts';
import { assertReportExplained } from '#local/iam/usage.ts';
import { partnerPlanParameters } from './partner-plan.ts';

/**
 * Global setup of the `integration` project: the whole local cloud from template.yaml, on
 * free ports (so it runs beside a developer's `npm start`), seeded with the demo users and
 * catalog. Everything it logs goes to .local-cloud/logs/integration.log; 5XX causes are also
 * printed. Teardown stops every process it started.
 *
 * Queue time runs 50 times faster (LOCAL_CLOUD_TIME_SCALE, default 0.02 here): a message that
 * keeps failing reaches its DLQ after maxReceiveCount visibility timeouts in seconds, not minutes.
 * The partners' usage plan is a small one (partner-plan.ts), so its limits can be reached.
 */
const INTEGRATION_TIME_SCALE = '0.02';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cognitoDataDirectory = await mkdtemp(join(tmpdir(), 'local-cloud-cognito-'));
  const logPath = join(LOCAL_CLOUD_DIRECTORY, 'logs', 'integration.log');
  // Every function log line as JSON Lines as well (what `npm run trail` reads).
  const functionLogFile = join(LOCAL_CLOUD_DIRECTORY, 'logs', 'integration-functions.jsonl');
  const log = await fileLog(logPath);

  const cloud = await startLocalCloudOnFreePorts({
    templatePath: join(REPOSITORY_ROOT, 'template.yaml'),
    cognitoDataDirectory,
    log,
    functionLogFile,
    timeScale: parseTimeScale(process.env.LOCAL_CLOUD_TIME_SCALE || INTEGRATION_TIME_SCALE),
    parameterOverrides: partnerPlanParameters(),
  }).catch(async (error: unknown) => {
    await log.close();
    throw error;
  });

  const description = describeLocalCloud(cloud);
  for (const key of Object.keys(description) as Array<keyof LocalCloudDescription>) project.provide(key, description[key]);
  project.provide('dynamoEndpoint', cloud.dynamoDbEndpoint);
  project.provide('tableName', description.tableNames.OrdersTable ?? cloud.tables[0]?.tableName ?? '');
  project.provide('productIds', cloud.products.map((product) => product.productId));
  project.provide('localCloudLog', logPath);
  project.provide('queueUrls', Object.fromEntries(cloud.queues.map((queue) => [queue.logicalId, queue.url])));

  return async () => {
    await cloud.stop();
    await log.close();
    await rm(cognitoDataDirectory, { recursive: true, force: true });
    // Least privilege, measured (local/src/iam/README.md): every grant no test used, with its
    // reason, in .local-cloud/iam/integration-unused-grants.txt. After a run of the whole suite,
    // an unused grant without a reason (or a reason for a grant now used) fails the run.
    const run = { iam: cloud.iam, template: cloud.template.template, resolver: cloud.resolver };
    const { report, file } = await writeLeastPrivilegeReport(run, join(LOCAL_CLOUD_DIRECTORY, 'iam'), 'integration');
    if (await ranWholeProject(project)) {
      assertReportExplained(report);
    } else if (report.unexplained.length > 0) {
      console.warn(`[local cloud] ${report.unexplained.length} granted permissions were not used by the tests that ran (a part of the suite): ${file}`);
    }
  };
}

/** Whether every test file of the project ran (a run of a few files leaves grants unused that the others use). */
async function ranWholeProject(project: TestProject): Promise<boolean> {
  const { testFiles } = await project.globTestFiles();
  const ran = new Set(project.vitest.state.getFiles().filter((file) => file.projectName === project.name).map((file) => file.filepath));
  return testFiles.length > 0 && testFiles.every((file) => ran.has(file));
}
