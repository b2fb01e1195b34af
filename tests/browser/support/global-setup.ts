import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { describeLocalCloud, type LocalCloudDescription } from '#local/cloud/description.ts';
import { startLocalCloudOnFreePorts } from '#local/cloud/local-cloud.ts';
import { fileLog } from '#local/cloud/local-cloud-log.ts';
import { LOCAL_CLOUD_DIRECTORY, REPOSITORY_ROOT } from '#local/cloud/state-file.ts';
import { CHROMIUM_PATH } from './chromium.ts';

/**
 * Global setup of the `browser` project: a whole local cloud from template.yaml on free ports,
 * seeded, with the web app served as `npm start` serves it (built first when web/dist is stale).
 * Tests reach it through `inject(...)`: `webUrl`, `apiUrl`, the users and `password`, as the
 * integration tests do. Without web/index.html (a checkout without the app) the harness serves
 * the small Vite app in tests/fixtures/web-app instead. Its log: .local-cloud/logs/browser.log.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Fail fast, before a cloud starts, when there is no browser to drive.
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH.`);
  }
  const webApp = existsSync(join(REPOSITORY_ROOT, 'web', 'index.html')) ? 'web' : 'fixture';
  const web =
    webApp === 'web'
      ? { root: join(REPOSITORY_ROOT, 'web'), extraInputs: [join(REPOSITORY_ROOT, 'docs', 'openapi.json')] }
      : { root: join(REPOSITORY_ROOT, 'tests', 'fixtures', 'web-app') };
  const cognitoDataDirectory = await mkdtemp(join(tmpdir(), 'browser-cloud-cognito-'));
  const log = await fileLog(join(LOCAL_CLOUD_DIRECTORY, 'logs', 'browser.log'));

  const cloud = await startLocalCloudOnFreePorts({
    templatePath: join(REPOSITORY_ROOT, 'template.yaml'),
    cognitoDataDirectory,
    web,
    log,
  }).catch(async (error: unknown) => {
    await log.close();
    throw error;
  });
  if (cloud.webUrl === undefined) {
    await cloud.stop();
    await log.close();
    throw new Error(`The local cloud does not serve the web app: ${cloud.webUnavailable ?? 'no reason given'}`);
  }

  const description = describeLocalCloud(cloud);
  for (const key of Object.keys(description) as Array<keyof LocalCloudDescription>) project.provide(key, description[key]);
  project.provide('webApp', webApp);

  return async () => {
    await cloud.stop();
    await log.close();
    await rm(cognitoDataDirectory, { recursive: true, force: true });
  };
}
