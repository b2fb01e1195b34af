import type { PolicyDocument } from './policy-document.ts';

/**
 * The AWS managed policies SAM attaches to the roles it generates, as AWS documents their
 * default versions (AWS Managed Policy Reference). AWS has no local source for them, so they are
 * data here; the names are the ones SAM uses in the `aws` partition (samtranslator
 * `model/sam_resources.py`, `model/eventsources/pull.py`, `model/xray_utils.py`).
 */

const logsWrite = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
const xrayWrite = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
];

const allow = (actions: string[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
});

const BY_NAME: Record<string, PolicyDocument> = {
  // v1: what every function needs to write its own logs.
  'service-role/AWSLambdaBasicExecutionRole': allow(logsWrite),
  // SAM's choice for `Tracing: Active` (functions) and `Tracing.Enabled` (state machines) in `aws`.
  AWSXrayWriteOnlyAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: xrayWrite, Resource: ['*'] }] },
  // …and in the other partitions.
  AWSXRayDaemonWriteAccess: {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AWSXRayDaemonWriteAccess', Effect: 'Allow', Action: xrayWrite, Resource: ['*'] }],
  },
  // `Type: SQS` events: the event source mapping polls with the function's role.
  'service-role/AWSLambdaSQSQueueExecutionRole': allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...logsWrite]),
  // `Type: DynamoDB` events: the mapping reads the stream with the function's role.
  'service-role/AWSLambdaDynamoDBExecutionRole': allow([
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:ListStreams',
    ...logsWrite,
  ]),
  // `Type: Kinesis` events.
  'service-role/AWSLambdaKinesisExecutionRole': allow([
    'kinesis:DescribeStream',
    'kinesis:DescribeStreamSummary',
    'kinesis:GetRecords',
    'kinesis:GetShardIterator',
    'kinesis:ListShards',
    'kinesis:ListStreams',
    'kinesis:SubscribeToShard',
    ...logsWrite,
  ]),
  // The role SAM makes CodeDeploy use for `DeploymentPreference` (CodeDeployServiceRole): it moves
  // aliases, reads the rollback alarms, and may invoke only hooks named CodeDeployHook_*.
  'service-role/AWSCodeDeployRoleForLambda': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['cloudwatch:DescribeAlarms', 'lambda:UpdateAlias', 'lambda:GetAlias', 'lambda:GetProvisionedConcurrencyConfig', 'sns:Publish'],
        Resource: '*',
      },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: 'arn:aws:s3:::*/CodeDeploy/*' },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: '*',
        Condition: { StringEquals: { 's3:ExistingObjectTag/UseWithCodeDeploy': 'true' } },
      },
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:*:*:function:CodeDeployHook_*' },
    ],
  },
};

/** `arn:<partition>:iam::aws:policy/<name>` */
export const managedPolicyArn = (name: string, partition = 'aws'): string => `arn:${partition}:iam::aws:policy/${name}`;

/** The document of an AWS managed policy by ARN, or undefined when the local cloud has no copy. */
export function managedPolicyDocument(arn: string): PolicyDocument | undefined {
  const name = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
  return name === undefined ? undefined : BY_NAME[name];
}

export const KNOWN_MANAGED_POLICIES = Object.keys(BY_NAME);
