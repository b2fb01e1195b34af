import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type DeployPlan, type ExistingObject, INDEX_KEY, inlineCodeIn, planDeploy, requireOutputs, STALE_ASSET_GRACE_MS, type StackOutputs, webConfig } from './plan.ts';

/**
 * `npm run web:deploy`'s work with AWS (scripts/web-deploy.ts is the command line): read the
 * stack's outputs, plan (plan.ts), upload, delete, invalidate. Only SDK clients come in, so the
 * tests hand it mocked ones.
 */

export interface DeployClients {
  cloudFormation: CloudFormationClient;
  s3: S3Client;
  cloudFront: CloudFrontClient;
}

export interface DeployResult {
  outputs: StackOutputs;
  plan: DeployPlan;
  invalidationId: string | undefined;
}

/** The stack's outputs by key (DescribeStacks). */
export async function describeStackOutputs(cloudFormation: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = Stacks?.[0];
  if (stack === undefined) throw new Error(`Stack ${stackName} not found`);
  return Object.fromEntries((stack.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
}

/** Every file under `directory`, as `/`-separated paths relative to it. */
export async function listBuildFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

async function listObjects(s3: S3Client, bucket: string): Promise<ExistingObject[]> {
  const objects: ExistingObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key !== undefined) objects.push({ key: object.Key, lastModified: object.LastModified });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}

/** DeleteObjects takes at most 1,000 keys per call, and reports failures per key rather than throwing. */
async function deleteObjects(s3: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += 1000) {
    const batch = keys.slice(start, start + 1000);
    const { Errors } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
    if (Errors !== undefined && Errors.length > 0) {
      throw new Error(`Could not delete ${Errors.map((error) => `${error.Key} (${error.Code}: ${error.Message})`).join(', ')}`);
    }
  }
}

export interface DeployOptions {
  stackName: string;
  /** The region of the stack (the clients' region). */
  region: string;
  /** The built app (web/dist). */
  distDirectory: string;
  now?: Date;
  log?: (line: string) => void;
}

/**
 * Uploads the built app to the stack's bucket with its runtime configuration, deletes what the
 * build no longer has, and invalidates the two files whose names do not change with their content.
 */
export async function deployWebApp(clients: DeployClients, options: DeployOptions): Promise<DeployResult> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const outputs = requireOutputs(options.stackName, await describeStackOutputs(clients.cloudFormation, options.stackName));
  const bucket = outputs.WebBucketName;
  const blocked = inlineCodeIn(await readFile(path.join(options.distDirectory, INDEX_KEY), 'utf8').catch(() => ''));
  if (blocked.length > 0) {
    throw new Error(`web/dist/index.html has ${blocked.join(', ')}: the content security policy (template.yaml, WebSecurityHeadersPolicy) would block it`);
  }
  const plan = planDeploy({
    files: await listBuildFiles(options.distDirectory),
    existing: await listObjects(clients.s3, bucket),
    config: webConfig(outputs, options.region),
    now,
  });

  // One at a time, in the plan's order (index.html last); the whole app is a few dozen files.
  for (const upload of plan.uploads) {
    const body = 'text' in upload.source ? upload.source.text : await readFile(path.join(options.distDirectory, upload.source.file));
    await clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: upload.key, Body: body, ContentType: upload.contentType, CacheControl: upload.cacheControl }),
    );
    log(`  uploaded s3://${bucket}/${upload.key}  (${upload.cacheControl})`);
  }
  await deleteObjects(clients.s3, bucket, plan.deletions);
  for (const key of plan.deletions) log(`  deleted  s3://${bucket}/${key}`);
  if (plan.keptStaleAssets.length > 0) {
    log(`  kept ${plan.keptStaleAssets.length} asset(s) of earlier builds for pages still open (deleted ${STALE_ASSET_GRACE_MS / 86_400_000} days after their last deploy)`);
  }

  const { Invalidation } = await clients.cloudFront.send(
    new CreateInvalidationCommand({
      DistributionId: outputs.WebDistributionId,
      InvalidationBatch: {
        // Unique per deploy: CloudFront treats a repeated CallerReference as the same request.
        CallerReference: `web-deploy-${now.toISOString()}-${process.pid}`,
        Paths: { Quantity: plan.invalidationPaths.length, Items: plan.invalidationPaths },
      },
    }),
  );
  log(`  invalidated ${plan.invalidationPaths.join(', ')} on ${outputs.WebDistributionId} (${Invalidation?.Id ?? 'no id'})`);
  return { outputs, plan, invalidationId: Invalidation?.Id };
}
