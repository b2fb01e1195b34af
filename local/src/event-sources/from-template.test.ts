import { describe, expect, it } from 'vitest';
import { readFunctionDefinitions } from '../lambda/from-template.ts';
import { readEventSourceDefinitions } from './from-template.ts';
import { fixtureTemplate, NAMING, propertiesOf } from '../../test-support/messaging-fixtures/fixture-template.ts';
import { readQueueDefinitions } from '../sqs/from-template.ts';

function read(edit?: Parameters<typeof fixtureTemplate>[0]) {
  const { template, resolver, registry, directory } = fixtureTemplate(edit);
  const queues = readQueueDefinitions(template, resolver, registry, NAMING);
  const functions = readFunctionDefinitions(template, resolver, directory);
  return readEventSourceDefinitions(functions, resolver, queues);
}

const eventsOf = (resources: Parameters<typeof propertiesOf>[0], functionLogicalId: string) =>
  propertiesOf(resources, functionLogicalId).Events as Record<string, { Properties: Record<string, unknown> }>;

describe('readEventSourceDefinitions', () => {
  it('reads each SQS event as a mapping with Lambda defaults for what it leaves out', () => {
    const { mappings } = read();
    expect(mappings.filter((mapping) => mapping.kind === 'sqs')).toEqual([
      {
        kind: 'sqs',
        functionLogicalId: 'WorkerFunction',
        eventName: 'Work',
        enabled: true,
        queueLogicalId: 'WorkQueue',
        batchSize: 5,
        maximumBatchingWindowInSeconds: 1,
        functionResponseTypes: ['ReportBatchItemFailures'],
        maximumConcurrency: 2,
      },
      {
        kind: 'sqs',
        functionLogicalId: 'WorkerFunction',
        eventName: 'Audit',
        enabled: false,
        queueLogicalId: 'AuditQueue',
        batchSize: 10,
        maximumBatchingWindowInSeconds: 0,
        functionResponseTypes: [],
        maximumConcurrency: undefined,
      },
    ]);
  });

  it('reads a DynamoDB event with the stream mapping settings, knowing which table it reads', () => {
    const stream = read().mappings.find((mapping) => mapping.kind === 'dynamodb');
    expect(stream).toMatchObject({
      functionLogicalId: 'PublisherFunction',
      eventName: 'Changes',
      enabled: true,
      tableLogicalId: 'Table',
      settings: {
        streamArn: expect.stringContaining(':dynamodb:us-east-1:000000000000:table/Table/stream/'),
        startingPosition: 'LATEST',
        batchSize: 25,
        maximumRetryAttempts: 2,
        bisectBatchOnFunctionError: true,
        functionResponseTypes: ['ReportBatchItemFailures'],
        onFailureDestination: 'arn:aws:sqs:us-east-1:000000000000:OnFailureDLQ',
      },
    });
  });

  it('warns about event types nothing emulates', () => {
    expect(read().warnings).toEqual(['WorkerFunction event Nightly: Type Schedule is not emulated; nothing invokes WorkerFunction for it']);
  });

  it('refuses a queue whose visibility timeout is shorter than the function timeout, as Lambda does', () => {
    expect(() => read((resources) => (propertiesOf(resources, 'WorkQueue').VisibilityTimeout = 5))).toThrow(
      'WorkerFunction event Work: Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds (WorkQueue)',
    );
  });

  it('refuses settings Lambda refuses, and what the local cloud does not emulate', () => {
    const work = (change: (properties: Record<string, unknown>) => void) => () =>
      read((resources) => change(eventsOf(resources, 'WorkerFunction').Work!.Properties));
    expect(work((properties) => ((properties.BatchSize = 20), (properties.MaximumBatchingWindowInSeconds = 0)))).toThrow('a BatchSize above 10 needs MaximumBatchingWindowInSeconds of at least 1');
    expect(work((properties) => (properties.BatchSize = 0))).toThrow('BatchSize must be between 1 and 10000, got 0');
    expect(work((properties) => (properties.ScalingConfig = { MaximumConcurrency: 1 }))).toThrow('ScalingConfig.MaximumConcurrency must be between 2 and 1000');
    expect(work((properties) => (properties.FunctionResponseTypes = ['Everything']))).toThrow('FunctionResponseTypes may only contain ReportBatchItemFailures');
    expect(work((properties) => (properties.FilterCriteria = { Filters: [] }))).toThrow('FilterCriteria on SQS events is not supported');
    expect(work((properties) => (properties.Queue = { 'Fn::GetAtt': ['Table', 'Arn'] }))).toThrow('WorkerFunction event Work: Queue Table is not an SQS queue of this template');
    expect(() => read((resources) => (eventsOf(resources, 'PublisherFunction').Changes!.Properties.StartingPosition = 'AT_TIMESTAMP'))).toThrow(
      /^PublisherFunction event Changes: StartingPosition must be TRIM_HORIZON or LATEST/,
    );
  });
});
