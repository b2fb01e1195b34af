import {
  type CreateTableCommandInput,
  CreateTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { resourcesOfType } from '../template/load-template.ts';
import type { ResourceRegistry } from '../template/resource-registry.ts';
import { type CfnTemplate, isRecord, TemplateError } from '../template/template-types.ts';

export interface ProvisionedTable {
  logicalId: string;
  tableName: string;
  tableArn: string;
  streamArn: string | undefined;
}

/**
 * Creates every active `AWS::DynamoDB::Table` of the template in DynamoDB Local exactly as
 * declared (keys, attributes, indexes, stream, TTL), and registers each table's local name
 * and ARNs so `!Ref`/`!GetAtt` in function environments resolve to them.
 */
export async function provisionTables(
  template: CfnTemplate,
  resolver: IntrinsicResolver,
  registry: ResourceRegistry,
  client: DynamoDBClient,
): Promise<ProvisionedTable[]> {
  const tables = resourcesOfType(template, 'AWS::DynamoDB::Table').filter(([logicalId]) => resolver.isActive(logicalId));
  return Promise.all(
    tables.map(async ([logicalId, resource]) => {
      const properties = resolver.resolve(resource.Properties ?? {}) as Record<string, unknown>;
      const tableName = typeof properties.TableName === 'string' ? properties.TableName : logicalId;
      const { TableDescription: table } = await client.send(new CreateTableCommand(createTableInput(tableName, properties)));
      const ttl = timeToLive(properties);
      if (ttl !== undefined) {
        await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: ttl }));
      }
      const provisioned: ProvisionedTable = {
        logicalId,
        tableName,
        tableArn: table?.TableArn ?? `arn:aws:dynamodb:${resolver.pseudo.region}:${resolver.pseudo.accountId}:table/${tableName}`,
        streamArn: table?.LatestStreamArn,
      };
      registry.register(logicalId, {
        ref: tableName,
        attributes: { Arn: provisioned.tableArn, ...(provisioned.streamArn ? { StreamArn: provisioned.streamArn } : {}) },
      });
      return provisioned;
    }),
  );
}

/**
 * The CreateTable request for a table resource's (resolved) properties. Settings DynamoDB
 * Local has no use for (SSE, point-in-time recovery, deletion protection, tags) are left out.
 */
export function createTableInput(tableName: string, properties: Record<string, unknown>): CreateTableCommandInput {
  const billingMode = properties.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED';
  const throughput = (value: unknown) =>
    billingMode === 'PROVISIONED'
      ? {
          ProvisionedThroughput: isRecord(value)
            ? { ReadCapacityUnits: Number(value.ReadCapacityUnits), WriteCapacityUnits: Number(value.WriteCapacityUnits) }
            : { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        }
      : {};
  const indexes = (value: unknown, withThroughput: boolean) =>
    (Array.isArray(value) ? value : []).filter(isRecord).map((index) => ({
      IndexName: String(index.IndexName),
      KeySchema: keySchema(index.KeySchema, `${tableName}.${String(index.IndexName)}`),
      Projection: index.Projection as NonNullable<CreateTableCommandInput['GlobalSecondaryIndexes']>[number]['Projection'],
      ...(withThroughput ? throughput(index.ProvisionedThroughput) : {}),
    }));
  const globalIndexes = indexes(properties.GlobalSecondaryIndexes, true);
  const localIndexes = indexes(properties.LocalSecondaryIndexes, false);
  const stream = isRecord(properties.StreamSpecification) ? properties.StreamSpecification : undefined;

  return {
    TableName: tableName,
    BillingMode: billingMode,
    AttributeDefinitions: (Array.isArray(properties.AttributeDefinitions) ? properties.AttributeDefinitions : [])
      .filter(isRecord)
      .map((definition) => ({
        AttributeName: String(definition.AttributeName),
        AttributeType: String(definition.AttributeType) as 'S' | 'N' | 'B',
      })),
    KeySchema: keySchema(properties.KeySchema, tableName),
    ...throughput(properties.ProvisionedThroughput),
    ...(globalIndexes.length > 0 ? { GlobalSecondaryIndexes: globalIndexes } : {}),
    ...(localIndexes.length > 0 ? { LocalSecondaryIndexes: localIndexes } : {}),
    ...(stream === undefined
      ? {}
      : {
          StreamSpecification: {
            StreamEnabled: true,
            StreamViewType: String(stream.StreamViewType) as 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY',
          },
        }),
  };
}

function keySchema(value: unknown, owner: string): Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }> {
  if (!Array.isArray(value) || value.length === 0) throw new TemplateError(`${owner} has no KeySchema`);
  return value.filter(isRecord).map((key) => ({
    AttributeName: String(key.AttributeName),
    KeyType: String(key.KeyType) as 'HASH' | 'RANGE',
  }));
}

function timeToLive(properties: Record<string, unknown>): { AttributeName: string; Enabled: boolean } | undefined {
  const ttl = properties.TimeToLiveSpecification;
  if (!isRecord(ttl) || (ttl.Enabled !== true && ttl.Enabled !== 'true')) return undefined;
  return { AttributeName: String(ttl.AttributeName), Enabled: true };
}
