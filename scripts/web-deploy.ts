/**
 * `npm run web:deploy -- --stack <name> [--region <region>] [--no-build]`: builds the web app
 * (`npm run web:build`) and publishes it to a deployed stack: web/dist to the stack's private
 * bucket (WebBucketName) with its Content-Type and Cache-Control, `config.json` written from the
 * stack's outputs, files of earlier builds removed, and the CloudFront cache of index.html and
 * config.json invalidated. The app is then at the stack's WebUrl. README, "Deploy the web app".
 *
 * Credentials and the default region come from the usual AWS settings (AWS_PROFILE, ...).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import { deployWebApp } from './web-deploy/deploy.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'web', 'dist');
const USAGE = 'Usage: npm run web:deploy -- --stack <stack name> [--region <region>] [--no-build]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { stack: { type: 'string' }, region: { type: 'string' }, 'no-build': { type: 'boolean', default: false } },
  });
  if (values.stack === undefined || values.stack === '') throw new Error(USAGE);

  if (!values['no-build']) {
    const build = spawnSync('npm', ['run', 'web:build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`npm run web:build failed (exit ${build.status ?? build.signal})`);
  }
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run npm run web:build (or leave out --no-build)`);

  const clientConfig = values.region === undefined ? {} : { region: values.region };
  const clients = { cloudFormation: new CloudFormationClient(clientConfig), s3: new S3Client(clientConfig), cloudFront: new CloudFrontClient(clientConfig) };
  try {
    const region = await clients.cloudFormation.config.region();
    console.log(`Deploying web/dist to stack ${values.stack} (${region})`);
    const { outputs } = await deployWebApp(clients, { stackName: values.stack, region, distDirectory: DIST, log: (line) => console.log(line) });
    console.log(`\nThe web app: ${outputs.WebUrl}`);
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
