/**
 * The local cloud of a copy of the repository (tests/workshop/solutions.test.ts runs this in the
 * copy, after applying a solution): the copy's template.yaml and code, on free ports, seeded,
 * without the web app (nothing here needs it, and building it would cost the most). It writes the
 * state file LOCAL_CLOUD_STATE_FILE names, as `npm start` does, so the copy's CLIs
 * (`npm run checkpoint`, `trail`) talk to it, and stops on SIGTERM.
 */
import { join } from 'node:path';
import { describeLocalCloud } from '#local/cloud/description.ts';
import { startLocalCloudOnFreePorts } from '#local/cloud/local-cloud.ts';
import { fileLog } from '#local/cloud/local-cloud-log.ts';
import { LOCAL_CLOUD_DIRECTORY, REPOSITORY_ROOT, writeState } from '#local/cloud/state-file.ts';
import { parseTimeScale } from '#local/core/time-scale.ts';
const log = await fileLog(join(LOCAL_CLOUD_DIRECTORY, 'logs', 'solution.log'));
const cloud = await startLocalCloudOnFreePorts({
  templatePath: join(REPOSITORY_ROOT, 'template.yaml'),
  cognitoDataDirectory: join(LOCAL_CLOUD_DIRECTORY, 'cognito'),
  log,
  timeScale: parseTimeScale(process.env.LOCAL_CLOUD_TIME_SCALE || '0.02'),
  functionLogFile: join(LOCAL_CLOUD_DIRECTORY, 'logs', 'functions.jsonl'),
});
await writeState({ pid: process.pid, startedAt: new Date().toISOString(), ...describeLocalCloud(cloud) });
console.log(`started ${cloud.apiUrl}`);

process.on('SIGTERM', () => {
  void cloud
    .stop()
    .then(() => log.close())
    .finally(() => process.exit(0));
});
