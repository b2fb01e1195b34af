import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { idTokenFor, seededUsers } from '../support/auth.ts';
import { documentClient, tableName } from '../support/dynamodb.ts';
import { api } from '../support/http.ts';
import { queueUrl, sqsClient } from '../support/messaging.ts';
import { readApiDefinitions } from '#local/apigateway/from-template.ts';
import { startApiServer } from '#local/apigateway/api-server.ts';
import { createCognitoAuthorizer } from '#local/apigateway/cognito-authorizer.ts';
import { readFunctionDefinitions } from '#local/lambda/from-template.ts';
import { LocalLambdaService } from '#local/lambda/lambda-service.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '#local/template/intrinsics.ts';
import { loadTemplate } from '#local/template/load-template.ts';
import { ResourceRegistry } from '#local/template/resource-registry.ts';

// Smoke test of the local cloud the integration global setup started from template.yaml.

describe('the local cloud from template.yaml', () => {
  it('serves a public route without a token, with the seeded catalog', async () => {
    const response = await api('GET', '/products');
    expect(response.status).toBe(200);
    expect(inject('productIds')).toHaveLength(6);
    const listed = JSON.stringify(response.json);
    for (const productId of inject('productIds')) expect(listed).toContain(productId);
  });

  it('refuses a protected route without a token and with a bad one', async () => {
    // The template's gateway responses add the request id to API Gateway's own body.
    expect((await api('GET', '/orders')).json).toEqual({ message: 'Unauthorized', requestId: expect.any(String) });
    const forged = await api('GET', '/orders', { token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' });
    expect([forged.status, forged.json]).toEqual([401, { message: 'Unauthorized', requestId: expect.any(String) }]);
  });

  it('accepts a cognito-local ID token, and the handler sees the groups claim', async () => {
    const alice = await idTokenFor(seededUsers.alice);
    expect((await api('GET', '/orders', { token: alice })).status).toBe(200);
    // Only the admin group may list orders by status: the handler read cognito:groups.
    expect((await api('GET', '/admin/orders?status=PENDING', { token: alice })).status).toBe(403);
    const admin = await idTokenFor(seededUsers.admin);
    expect((await api('GET', '/admin/orders?status=PENDING', { token: `Bearer ${admin}` })).status).toBe(200);
  });

  it('answers an unknown route with 403 Missing Authentication Token', async () => {
    const response = await api('GET', '/no/such/route');
    expect([response.status, response.json]).toEqual([403, { message: 'Missing Authentication Token', requestId: expect.any(String) }]);
  });

  it('created the table as the template declares it', async () => {
    const client = documentClient();
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName() }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(['GSI1', 'GSI2']);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName() }));
    expect(TimeToLiveDescription).toMatchObject({ AttributeName: 'ttl', TimeToLiveStatus: 'ENABLED' });
  });

  it('created the queues on the local SQS endpoint as the template declares them', async () => {
    const queues = inject('queues');
    for (const queue of Object.values(queues)) expect(queue.url.startsWith(`${inject('sqsEndpoint')}/`)).toBe(true);
    const { Attributes } = await sqsClient().send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl('FulfilmentQueue'), AttributeNames: ['VisibilityTimeout', 'MessageRetentionPeriod', 'RedrivePolicy'] }),
    );
    expect(Attributes).toEqual({
      VisibilityTimeout: '90',
      MessageRetentionPeriod: '345600',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queues.FulfilmentDLQ?.arn, maxReceiveCount: 3 }),
    });
    expect(queues.OrderEventsPublisherDLQ?.deadLetterFor).toEqual([{ kind: 'on-failure', logicalId: 'PublishOrderEventsFunction' }]);
    expect(inject('topicArns').OrderEventsTopic).toBe('arn:aws:sns:us-east-1:000000000000:OrderEventsTopic');
  });
});

// The fixture API (functions that echo their event) behind the real cognito-local pool of this
// run, to see exactly which claims a handler receives from a real token.
describe('claims from a cognito-local token, as a handler receives them', async () => {
  const { template, directory } = await loadTemplate(fileURLToPath(new URL('../../local/src/apigateway/fixtures/template.yaml', import.meta.url)));
  const resolver = createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) });
  const functions = readFunctionDefinitions(template, resolver, directory);
  const [fixtureApi] = readApiDefinitions(template, resolver, functions);
  const lambda = new LocalLambdaService({ functions, region: 'us-east-1', accountId: '000000000000', serviceEndpoints: {} });
  const issuer = `${inject('cognitoEndpoint')}/${inject('userPoolId')}`;
  const jwks = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as Jwks;
  const claimsSeenBy = async (email: string) => {
    const response = await fetch(`${server.url}/me`, { headers: { Authorization: await idTokenFor(email) } });
    expect(response.status).toBe(200);
    const event = (await response.json()) as APIGatewayProxyEvent;
    return event.requestContext.authorizer?.claims as Record<string, unknown>;
  };
  const server = await startApiServer({
    api: fixtureApi!,
    lambda,
    authorizers: { Cognito: createCognitoAuthorizer([{ issuer, clientIds: [inject('clientId')], jwks }]) },
    host: '127.0.0.1',
    port: 0,
    accountId: '000000000000',
  });
  afterAll(async () => {
    await server.close();
    await lambda.stop();
  });

  it('flattens them to strings, with groups comma-separated', async () => {
    const claims = await claimsSeenBy(seededUsers.admin);
    expect(claims).toMatchObject({
      email: seededUsers.admin,
      email_verified: 'true',
      'cognito:groups': 'admin',
      token_use: 'id',
      aud: inject('clientId'),
      iss: issuer,
    });
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    expect(claims.auth_time).toMatch(/^\d+$/);
    for (const value of Object.values(claims)) expect(typeof value).toBe('string');
  });

  it('passes no groups claim for a customer', async () => {
    const claims = await claimsSeenBy(seededUsers.alice);
    expect(claims['cognito:groups']).toBeUndefined();
    expect(claims.email).toBe(seededUsers.alice);
  });
});
