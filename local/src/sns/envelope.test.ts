import { describe, expect, it } from 'vitest';
import { notificationEnvelope, type NotificationInput } from './envelope.ts';

const base: NotificationInput = {
  messageId: '63a3f6b6-d533-4a47-aef9-fcf5cf758c76',
  topicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
  subscriptionArn: 'arn:aws:sns:us-east-1:000000000000:orders:c7fe3a54-ab0e-4ec2-88e0-db410a0f2bee',
  message: '{"orderId":"o-1"}',
  timestamp: new Date('2012-03-29T05:12:16.901Z'),
  serviceUrl: 'https://sns.us-east-1.amazonaws.com',
};

describe('notificationEnvelope', () => {
  it('has the fields of the SNS notification format, in order, laid out like real deliveries', () => {
    const body = notificationEnvelope({ ...base, subject: 'Order placed' });
    const lines = body.split('\n');
    expect(lines[0]).toBe('{');
    expect(lines.at(-1)).toBe('}');
    expect(lines.slice(1, -1).map((line) => /^ {2}"(\w+)" : /.exec(line)?.[1])).toEqual([
      'Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp',
      'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL',
    ]);
    expect(lines[1]).toBe('  "Type" : "Notification",');
    expect(lines[5]).toBe('  "Message" : "{\\"orderId\\":\\"o-1\\"}",');

    expect(JSON.parse(body)).toEqual({
      Type: 'Notification',
      MessageId: '63a3f6b6-d533-4a47-aef9-fcf5cf758c76',
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
      Subject: 'Order placed',
      Message: '{"orderId":"o-1"}',
      Timestamp: '2012-03-29T05:12:16.901Z',
      SignatureVersion: '1',
      Signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      SigningCertURL: expect.stringMatching(/^https:\/\/sns\.us-east-1\.amazonaws\.com\/SimpleNotificationService-.+\.pem$/),
      UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${base.subscriptionArn}`,
    });
  });

  it('leaves Subject and MessageAttributes out when there are none', () => {
    const parsed = JSON.parse(notificationEnvelope(base)) as Record<string, unknown>;
    expect(parsed).not.toHaveProperty('Subject');
    expect(parsed).not.toHaveProperty('MessageAttributes');
  });

  it('renders message attributes as {Type, Value}, binary values in base64', () => {
    const body = notificationEnvelope({
      ...base,
      messageAttributes: {
        eventType: { DataType: 'String', StringValue: 'order.placed' },
        amount: { DataType: 'Number', StringValue: '12.5' },
        raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) },
      },
    });
    expect(body.endsWith(
      [
        '  "MessageAttributes" : {',
        '    "eventType" : {"Type":"String","Value":"order.placed"},',
        '    "amount" : {"Type":"Number","Value":"12.5"},',
        '    "raw" : {"Type":"Binary","Value":"AQL/"}',
        '  }',
        '}',
      ].join('\n'),
    )).toBe(true);
    expect(JSON.parse(body).MessageAttributes.raw).toEqual({ Type: 'Binary', Value: 'AQL/' });
  });

  it('changes the signature when the content changes', () => {
    const one = JSON.parse(notificationEnvelope(base)).Signature;
    const other = JSON.parse(notificationEnvelope({ ...base, message: 'different' })).Signature;
    expect(one).not.toBe(other);
  });
});
