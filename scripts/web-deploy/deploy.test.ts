import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCloudFormationServer } from '#local/cloudformation/cloudformation-server.ts';
import { readStackOutputs } from '#local/cloudformation/from-template.ts';
import { LOCAL_PARAMETER_DEFAULTS } from '#local/cloud/local-cloud.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '#local/template/intrinsics.ts';
import { loadTemplate } from '#local/template/load-template.ts';
import { ResourceRegistry } from '#local/template/resource-registry.ts';
import { deployWebApp, listBuildFiles } from './deploy.ts';
import { STALE_ASSET_GRACE_MS } from './plan.ts';

// The stack's outputs come over the real DescribeStacks wire protocol from the local stand-in
// (local/src/cloudformation), resolved from template.yaml's own Outputs. S3 and CloudFront have
// no local emulator: their clients are mocked (aws-sdk-client-mock), and the test checks what
// web:deploy asks of them.

const TEMPLATE = fileURLToPath(new URL('../../template.yaml', import.meta.url));
const NOW = new Date('2026-11-30T12:00:00Z');
const s3 = mockClient(S3Client);
const cloudFront = mockClient(CloudFrontClient);

describe('deployWebApp', () => {
  let server: { endpoint: string; stop(): Promise<void> };
  let cloudFormation: CloudFormationClient;
  let dist: string;
  let outputs: Record<string, string>;

  beforeAll(async () => {
    const { template } = await loadTemplate(TEMPLATE);
    const registry = new ResourceRegistry(template, DEFAULT_PSEUDO);
    registry.register('UserPool', { ref: 'us-east-1_localpool' });
    registry.register('UserPoolClient', { ref: 'localclient' });
    const resolver = createIntrinsicResolver({ template, resources: registry, parameterOverrides: { ...LOCAL_PARAMETER_DEFAULTS } });
    const stackOutputs = readStackOutputs(template, resolver, { OrdersApi: 'http://127.0.0.1:3000' });
    outputs = Object.fromEntries(stackOutputs.map((output) => [output.OutputKey, output.OutputValue]));
    server = await startCloudFormationServer({
      stackName: 'orders-web',
      stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/orders-web/00000000-0000-0000-0000-000000000000',
      createdAt: NOW,
      outputs: stackOutputs,
    });
    cloudFormation = new CloudFormationClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

    dist = mkdtempSync(path.join(tmpdir(), 'web-deploy-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/index-B1a2C3d4.js"></script>');
    writeFileSync(path.join(dist, 'assets/index-B1a2C3d4.js'), 'console.log("app")');
    writeFileSync(path.join(dist, 'assets/index-Dx9y8z7w.css'), 'body{}');
    writeFileSync(path.join(dist, 'favicon.svg'), '<svg/>');
    // A development configuration in web/public: never deployed.
    writeFileSync(path.join(dist, 'config.json'), '{"apiUrl":"http://localhost:3000"}');
  });

  afterAll(async () => {
    cloudFormation.destroy();
    await server.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  beforeEach(() => {
    s3.reset();
    cloudFront.reset();
    s3.on(PutObjectCommand).resolves({});
    s3.on(DeleteObjectsCommand).resolves({});
    cloudFront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I2J0I21PCUYOIK', Status: 'InProgress', CreateTime: NOW, InvalidationBatch: undefined } });
  });

  const deploy = (stackName = 'orders-web') =>
    deployWebApp({ cloudFormation, s3: new S3Client({ region: 'us-east-1' }), cloudFront: new CloudFrontClient({ region: 'us-east-1' }) }, {
      stackName,
      region: 'us-east-1',
      distDirectory: dist,
      now: NOW,
    });

  it("lists the build's files relative to it, `/`-separated", async () => {
    expect(await listBuildFiles(dist)).toEqual(['assets/index-B1a2C3d4.js', 'assets/index-Dx9y8z7w.css', 'config.json', 'favicon.svg', 'index.html']);
  });

  it("uploads the build to the stack's bucket with types and cache headers, config.json from the outputs, index.html last", async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    const result = await deploy();
    const bucket = outputs.WebBucketName;
    expect(bucket).toBeTruthy();

    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => [put.Bucket, put.Key, put.ContentType, put.CacheControl])).toEqual([
      [bucket, 'assets/index-B1a2C3d4.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      [bucket, 'assets/index-Dx9y8z7w.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
      [bucket, 'favicon.svg', 'image/svg+xml', 'no-cache'],
      [bucket, 'config.json', 'application/json; charset=utf-8', 'no-cache'],
      [bucket, 'index.html', 'text/html; charset=utf-8', 'no-cache'],
    ]);
    expect(String(puts[0]?.Body)).toBe('console.log("app")');
    expect(JSON.parse(String(puts[3]?.Body))).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      cognito: { endpoint: 'https://cognito-idp.us-east-1.amazonaws.com/', region: 'us-east-1', userPoolId: 'us-east-1_localpool', clientId: 'localclient' },
    });

    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(cloudFront.commandCalls(CreateInvalidationCommand).map((call) => call.args[0].input)).toEqual([
      {
        DistributionId: outputs.WebDistributionId,
        InvalidationBatch: { CallerReference: expect.stringContaining('2026-11-30T12:00:00.000Z'), Paths: { Quantity: 2, Items: ['/index.html', '/config.json'] } },
      },
    ]);
    expect(result.invalidationId).toBe('I2J0I21PCUYOIK');
  });

  it('reads every page of the bucket listing and deletes what is stale, keeping recent assets of earlier builds', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({ IsTruncated: true, NextContinuationToken: 'page-2', Contents: [{ Key: 'index.html', LastModified: NOW }, { Key: 'old.txt', LastModified: NOW }] })
      .on(ListObjectsV2Command, { ContinuationToken: 'page-2' })
      .resolves({
        IsTruncated: false,
        Contents: [
          { Key: 'assets/index-RECENT01.js', LastModified: new Date(NOW.getTime() - 60_000) },
          { Key: 'assets/index-EXPIRED1.js', LastModified: new Date(NOW.getTime() - STALE_ASSET_GRACE_MS) },
        ],
      });
    const result = await deploy();
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(2);
    expect(s3.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: outputs.WebBucketName, Delete: { Objects: [{ Key: 'assets/index-EXPIRED1.js' }, { Key: 'old.txt' }], Quiet: true } },
    ]);
    expect(result.plan.keptStaleAssets).toEqual(['assets/index-RECENT01.js']);
    // Deletions come only after every upload.
    const order = [...s3.calls(), ...cloudFront.calls()].map((call) => (call.args[0] as object).constructor.name);
    expect(order.indexOf('DeleteObjectsCommand')).toBe(order.lastIndexOf('PutObjectCommand') + 1);
  });

  it('fails on a key S3 could not delete, before invalidating', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'old.txt', LastModified: NOW }] });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'old.txt', Code: 'AccessDenied', Message: 'Access Denied' }] });
    await expect(deploy()).rejects.toThrow('Could not delete old.txt (AccessDenied: Access Denied)');
    expect(cloudFront.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
  });

  it('deploys nothing the content security policy would block', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    const index = path.join(dist, 'index.html');
    const original = readFileSync(index, 'utf8');
    writeFileSync(index, '<!doctype html><script>window.config = {}</script>');
    try {
      await expect(deploy()).rejects.toThrow('web/dist/index.html has an inline <script>: the content security policy');
    } finally {
      writeFileSync(index, original);
    }
    expect(s3.calls()).toHaveLength(0);
    expect(cloudFront.calls()).toHaveLength(0);
  });

  it('touches nothing when the stack does not exist', async () => {
    await expect(deploy('no-such-stack')).rejects.toThrow('Stack with id no-such-stack does not exist');
    expect(s3.calls()).toHaveLength(0);
    expect(cloudFront.calls()).toHaveLength(0);
  });
});
