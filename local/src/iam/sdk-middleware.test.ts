import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { templateFromYaml } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { LocalIam } from './local-iam.ts';
import { installIamEnforcement } from './sdk-middleware.ts';

const template = templateFromYaml(readFileSync(new URL('../../../template.yaml', import.meta.url), 'utf8'));
const iam = LocalIam.fromTemplate(template, createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) }), { enforce: true });

/** A document client whose requests never leave the process: a serialize-step middleware answers them. */
function fakeTable() {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const sent: string[] = [];
  client.middlewareStack.add(
    (_next: unknown, context: { commandName?: string }) => async () => {
      sent.push(context.commandName ?? '?');
      return { output: { $metadata: {} }, response: {} };
    },
    { step: 'serialize', priority: 'high', name: 'fakeTable' },
  );
  return { documents: DynamoDBDocumentClient.from(client), sent };
}

let uninstall: (() => void) | undefined;
afterEach(() => {
  uninstall?.();
  uninstall = undefined;
});

describe('installIamEnforcement', () => {
  it("lets a function's granted calls through and stops the others before they are sent, with AWS's error", async () => {
    // As a worker running GetProductFunction would install it.
    uninstall = installIamEnforcement((call) => iam.authorizeSdkCall('GetProductFunction', call));
    const { documents, sent } = fakeTable();

    await documents.send(new BatchGetCommand({ RequestItems: { OrdersTable: { Keys: [{ PK: 'p', SK: 'p' }] } } }));
    const write = documents.send(new PutCommand({ TableName: 'OrdersTable', Item: { PK: 'p', SK: 'p' } }));

    await expect(write).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: `User: arn:aws:sts::${DEFAULT_PSEUDO.accountId}:assumed-role/GetProductFunctionRole/GetProductFunction is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:${DEFAULT_PSEUDO.accountId}:table/OrdersTable because no identity-based policy allows the dynamodb:PutItem action`,
    });
    expect(sent).toEqual(['BatchGetItemCommand']);
  });

  it('checks each item of a transaction', async () => {
    uninstall = installIamEnforcement((call) => iam.authorizeSdkCall('ReserveStockFunction', call));
    const { documents, sent } = fakeTable();
    const items = [
      { Update: { TableName: 'OrdersTable', Key: { PK: 'p', SK: 'p' }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': 1 } } },
      { Put: { TableName: 'OrdersTable', Item: { PK: 'r', SK: 'r' } } },
    ];
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
    await expect(documents.send(new TransactWriteCommand({ TransactItems: [...items, { Delete: { TableName: 'OrdersTable', Key: { PK: 'r', SK: 'r' } } }] }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('dynamodb:DeleteItem on resource'),
    });
    expect(sent).toEqual(['TransactWriteItemsCommand']);
  });
});
