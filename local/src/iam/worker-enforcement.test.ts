import { readFileSync } from 'node:fs';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { templateFromYaml } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { LocalIam } from './local-iam.ts';
import { enableIamInWorker, type IamWorkerMessage } from './worker-enforcement.ts';

describe('enableIamInWorker', () => {
  it('enforces the snapshot for its function and reports uses and denials as messages', async () => {
    const template = templateFromYaml(readFileSync(new URL('../../../template.yaml', import.meta.url), 'utf8'));
    const main = LocalIam.fromTemplate(template, createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) }), { enforce: true });
    const messages: IamWorkerMessage[] = [];
    const uninstall = enableIamInWorker({ snapshot: structuredClone(main.snapshot()), principal: 'CreateProductFunction' }, (message) => messages.push(message));
    try {
      const client = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      client.middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), { step: 'serialize', priority: 'high', name: 'fake' });
      await client.send(new PutItemCommand({ TableName: 'OrdersTable', Item: { PK: { S: 'p' } } }));
      await expect(client.send(new PutItemCommand({ TableName: 'Elsewhere', Item: { PK: { S: 'p' } } }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    } finally {
      uninstall();
    }
    const table = `arn:aws:dynamodb:us-east-1:${DEFAULT_PSEUDO.accountId}:table`;
    expect(messages).toEqual([
      { type: 'iam-use', role: 'CreateProductFunctionRole', use: { action: 'dynamodb:PutItem', resource: `${table}/OrdersTable` } },
      { type: 'iam-denied', call: expect.objectContaining({ principal: 'CreateProductFunction', action: 'dynamodb:PutItem', resource: `${table}/Elsewhere`, enforced: true }) },
    ]);
  });
});
