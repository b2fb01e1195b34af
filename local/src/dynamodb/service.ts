import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import { LOCAL_CREDENTIALS } from '../core/aws-account.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { type ProvisionedTable, provisionTables } from './from-template.ts';

/** DynamoDB Local (in memory) with every `AWS::DynamoDB::Table` of the template. */
export interface RunningDynamoDb extends RunningService {
  endpoint: string;
  tables: ProvisionedTable[];
}

export const dynamoDbService: EmulatedService<'dynamodb', RunningDynamoDb> = {
  name: 'dynamodb',
  port: { option: 'dynamoDb', purpose: 'DynamoDB Local', envVariable: 'LOCAL_DYNAMODB_PORT' },
  async start(context) {
    const started = performance.now();
    const local = await startDynamoDbLocal(context.options.ports.dynamoDb);
    const client = new DynamoDBClient({ region: context.pseudo.region, credentials: LOCAL_CREDENTIALS, endpoint: local.endpoint });
    const stop = async () => {
      client.destroy();
      await local.stop();
    };
    try {
      context.log.info(`DynamoDB Local ready in ${Math.round(performance.now() - started)} ms`);
      const tables = await provisionTables(context.template.template, context.resolver, context.registry, client);
      return {
        endpoint: local.endpoint,
        tables,
        functionEndpoints: { DYNAMODB: local.endpoint, DYNAMODB_STREAMS: local.endpoint },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  },
};
