import { describe, expect, it } from 'vitest';
import { fixtureTemplate, NAMING, propertiesOf } from '../../test-support/messaging-fixtures/fixture-template.ts';
import { readQueueDefinitions } from './from-template.ts';

function read(edit?: Parameters<typeof fixtureTemplate>[0]) {
  const { template, resolver, registry } = fixtureTemplate(edit);
  return { queues: readQueueDefinitions(template, resolver, registry, NAMING), registry };
}

describe('readQueueDefinitions', () => {
  it('maps the template properties onto queue settings, numbers written as strings too', () => {
    const work = read().queues.find((queue) => queue.logicalId === 'WorkQueue');
    expect(work).toEqual({
      logicalId: 'WorkQueue',
      name: 'demo-work',
      arn: 'arn:aws:sqs:us-east-1:000000000000:demo-work',
      url: 'http://127.0.0.1:4566/000000000000/demo-work',
      settings: {
        visibilityTimeout: 60,
        delaySeconds: 2,
        messageRetentionPeriod: 345_600,
        receiveMessageWaitTimeSeconds: 5,
        redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:WorkDLQ', maxReceiveCount: 3 },
      },
      deadLetterQueue: { logicalId: 'WorkDLQ', maxReceiveCount: 3 },
    });
  });

  it('leaves unset settings to SQS defaults and names a queue after its logical id', () => {
    expect(read().queues.find((queue) => queue.logicalId === 'AuditQueue')).toMatchObject({ name: 'AuditQueue', settings: {} });
  });

  it('registers the local URL as Ref and the ARN, name and URL as attributes, for every queue', () => {
    const { registry } = read();
    expect(registry.ref('WorkQueue')).toBe('http://127.0.0.1:4566/000000000000/demo-work');
    expect(registry.getAtt('WorkQueue', 'Arn')).toBe('arn:aws:sqs:us-east-1:000000000000:demo-work');
    expect(registry.getAtt('WorkQueue', 'QueueName')).toBe('demo-work');
    expect(registry.getAtt('WorkDLQ', 'QueueUrl')).toBe('http://127.0.0.1:4566/000000000000/WorkDLQ');
  });

  it('refuses what SQS or CloudFormation would refuse, naming the resource', () => {
    expect(() => read((resources) => (propertiesOf(resources, 'AuditQueue').FifoQueue = true))).toThrow('AuditQueue: FIFO queues are not emulated');
    expect(() => read((resources) => (propertiesOf(resources, 'AuditQueue').ContentBasedDeduplication = true))).toThrow(
      'AuditQueue: ContentBasedDeduplication is not supported',
    );
    expect(() => read((resources) => (propertiesOf(resources, 'AuditQueue').VisibilityTimeout = 'soon'))).toThrow(
      'AuditQueue: VisibilityTimeout must be an integer',
    );
    expect(() =>
      read((resources) => (propertiesOf(resources, 'AuditQueue').RedrivePolicy = { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:Elsewhere', maxReceiveCount: 2 })),
    ).toThrow('AuditQueue: RedrivePolicy.deadLetterTargetArn arn:aws:sqs:us-east-1:000000000000:Elsewhere is not a queue of this template');
    expect(() => read((resources) => (propertiesOf(resources, 'AuditQueue').RedrivePolicy = { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDLQ', 'Arn'] } }))).toThrow(
      'RedrivePolicy needs deadLetterTargetArn and maxReceiveCount',
    );
  });

  it("honours the dead-letter queue's RedriveAllowPolicy", () => {
    expect(() =>
      read((resources) => (propertiesOf(resources, 'AuditQueue').RedrivePolicy = { deadLetterTargetArn: { 'Fn::GetAtt': ['DeliveryDLQ', 'Arn'] }, maxReceiveCount: 2 })),
    ).toThrow('AuditQueue: RedrivePolicy names DeliveryDLQ, whose RedriveAllowPolicy (denyAll) does not allow it');
    expect(() =>
      read((resources) => (propertiesOf(resources, 'AuditQueue').RedrivePolicy = { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDLQ', 'Arn'] }, maxReceiveCount: 2 })),
    ).toThrow('(byQueue) does not allow it');
  });
});
