import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { describeLocalCloud } from '#local/cloud/description.ts';
import { startLocalCloudOnFreePorts } from '#local/cloud/local-cloud.ts';
import { fileLog } from '#local/cloud/local-cloud-log.ts';
import { LOCAL_CLOUD_DIRECTORY, REPOSITORY_ROOT, writeState } from '#local/cloud/state-file.ts';
import { parseTimeScale } from '#local/core/time-scale.ts';

/**
 * Global setup of the `workshop` project: one local cloud for every page, started as a learner's
 * `npm start` starts it (seeded, the web app served, function logs kept for `npm run trail`), but
 * on free ports and at the integration suite's time scale. Its state file, the one `npm start`
 * writes, goes to .local-cloud/workshop/state.json; the steps get LOCAL_CLOUD_STATE_FILE
 * pointing there, so `npm run env`, `token`, `queues`, `checkpoint`... talk to this cloud and
 * not to a developer's own `npm start`. Log: .local-cloud/logs/workshop.log.
 */
const WORKSHOP_TIME_SCALE = '0.02';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cognitoDataDirectory = await mkdtemp(join(tmpdir(), 'workshop-cloud-cognito-'));
  const log = await fileLog(join(LOCAL_CLOUD_DIRECTORY, 'logs', 'workshop.log'));
  const stateFile = join(LOCAL_CLOUD_DIRECTORY, 'workshop', 'state.json');

  const cloud = await startLocalCloudOnFreePorts({
    templatePath: join(REPOSITORY_ROOT, 'template.yaml'),
    cognitoDataDirectory,
    web: { root: join(REPOSITORY_ROOT, 'web'), extraInputs: [join(REPOSITORY_ROOT, 'docs', 'openapi.json')] },
    log,
    timeScale: parseTimeScale(process.env.LOCAL_CLOUD_TIME_SCALE || WORKSHOP_TIME_SCALE),
    functionLogFile: join(LOCAL_CLOUD_DIRECTORY, 'logs', 'workshop-functions.jsonl'),
  }).catch(async (error: unknown) => {
    await log.close();
    throw error;
  });
  await writeState({ pid: process.pid, startedAt: new Date().toISOString(), ...describeLocalCloud(cloud) }, stateFile);
  project.provide('workshopStateFile', stateFile);

  return async () => {
    await cloud.stop();
    await log.close();
    await rm(cognitoDataDirectory, { recursive: true, force: true });
    await rm(stateFile, { force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The state file of the workshop project's local cloud: LOCAL_CLOUD_STATE_FILE for the steps. */
    workshopStateFile: string;
  }
}
