import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { loadTemplate } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { findEntry, readFunctionDefinitions, referencedLogicalId } from './from-template.ts';
import { lambdaEnvironment } from './lambda-environment.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

async function fixtureFunctions() {
  const { template, directory } = await loadTemplate(`${FIXTURES}template.yaml`);
  const registry = new ResourceRegistry(template, DEFAULT_PSEUDO);
  const resolver = createIntrinsicResolver({ template, resources: registry });
  return readFunctionDefinitions(template, resolver, directory);
}

describe('readFunctionDefinitions', () => {
  it('merges Globals, resolves the environment and finds the TypeScript entry point', async () => {
    const echo = (await fixtureFunctions()).find((fn) => fn.logicalId === 'EchoFunction');
    expect(echo).toMatchObject({
      functionName: 'EchoFunction',
      entry: { path: `${FIXTURES}echo/index.ts`, exportName: 'handler' },
      runtime: 'nodejs24.x',
      timeoutSeconds: 5,
      memorySizeMb: 256,
      environment: { GREETING: 'hello', TABLE_NAME: 'Table', ONLY_ECHO: 'yes' },
      loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'WARN' },
    });
  });

  it('follows a Handler naming another module and export', async () => {
    const dates = (await fixtureFunctions()).find((fn) => fn.logicalId === 'DatesFunction');
    expect(dates?.entry).toEqual({ path: `${FIXTURES}dates/handlers.ts`, exportName: 'main' });
  });

  it('explains a missing source instead of failing the whole template', async () => {
    const missing = (await fixtureFunctions()).find((fn) => fn.logicalId === 'MissingFunction');
    expect(missing?.entry).toMatchObject({ problem: expect.stringMatching(/MissingFunction: no handler source found/) });
  });
});

describe('findEntry', () => {
  it('prefers the build EntryPoints over guessing extensions', () => {
    const entry = findEntry('Fn', { CodeUri: 'echo', Handler: 'index.handler' }, { BuildProperties: { EntryPoints: ['index.ts'] } }, `${FIXTURES}echo`);
    expect(entry).toEqual({ path: `${FIXTURES}echo/index.ts`, exportName: 'handler' });
  });

  it('rejects handlers it cannot run locally', () => {
    expect(findEntry('Fn', { InlineCode: 'x', Handler: 'index.handler' }, undefined, FIXTURES)).toHaveProperty('problem');
    expect(findEntry('Fn', { CodeUri: 'echo', Handler: 'nodot' }, undefined, FIXTURES)).toHaveProperty('problem');
  });
});

describe('referencedLogicalId', () => {
  it('reads the resource a raw Ref, GetAtt or whole-string Sub points at', () => {
    expect(referencedLogicalId({ Ref: 'OrdersApi' })).toBe('OrdersApi');
    expect(referencedLogicalId({ 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] })).toBe('OrdersTable');
    expect(referencedLogicalId({ 'Fn::GetAtt': 'OrdersTable.StreamArn' })).toBe('OrdersTable');
    expect(referencedLogicalId({ 'Fn::Sub': '${Queue.Arn}' })).toBe('Queue');
    expect(referencedLogicalId({ 'Fn::Sub': 'arn:${Queue.Arn}' })).toBeUndefined();
    expect(referencedLogicalId('literal')).toBeUndefined();
  });
});

describe('lambdaEnvironment', () => {
  it('puts the runtime variables and local endpoints over the template variables', async () => {
    const echo = (await fixtureFunctions()).find((fn) => fn.logicalId === 'EchoFunction')!;
    const env = lambdaEnvironment(
      { ...echo, environment: { ...echo.environment, AWS_REGION: 'eu-west-1' } },
      { region: 'us-east-1', accountId: '000000000000', serviceEndpoints: { DYNAMODB: 'http://127.0.0.1:8000' }, overrides: { GREETING: 'hi' } },
      '2025/01/01/[$LATEST]abc',
    );
    expect(env).toMatchObject({
      GREETING: 'hi',
      TABLE_NAME: 'Table',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'EchoFunction',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/EchoFunction',
      AWS_LAMBDA_LOG_STREAM_NAME: '2025/01/01/[$LATEST]abc',
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_LEVEL: 'WARN',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_SAM_LOCAL: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
    });
  });
});
