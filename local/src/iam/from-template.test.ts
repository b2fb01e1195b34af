import { describe, expect, it } from 'vitest';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { templateFromYaml } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { TemplateError } from '../template/template-types.ts';
import { policiesOf, rolesFromTemplate } from './from-template.ts';

// SAM features template.yaml does not use (its own roles are checked against SAM's translator in
// tests/template/iam-roles.test.ts), built here the way samtranslator builds them.

function roles(body: string) {
  const template = templateFromYaml(`Transform: AWS::Serverless-2016-10-31\n${body}`);
  return rolesFromTemplate(template, createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) }));
}
const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;

describe('rolesFromTemplate', () => {
  it('merges Globals: a global Tracing adds the X-Ray policy, a function may turn it off', () => {
    const { roleOf } = roles(`
Globals:
  Function:
    Tracing: Active
Resources:
  Traced:
    Type: AWS::Serverless::Function
  Untraced:
    Type: AWS::Serverless::Function
    Properties:
      Tracing: Disabled
`);
    expect(roleOf('Traced')?.managedPolicyArns).toEqual([managed('service-role/AWSLambdaBasicExecutionRole'), managed('AWSXrayWriteOnlyAccess')]);
    expect(roleOf('Untraced')?.managedPolicyArns).toEqual([managed('service-role/AWSLambdaBasicExecutionRole')]);
  });

  it('names inline policies by their index in Policies, turns managed policy names into ARNs, and honours !If', () => {
    const { roleOf } = roles(`
Conditions:
  Never: !Equals [a, b]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AWSLambdaSQSQueueExecutionRole
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: '*'
        - !If [Never, { Statement: [{ Effect: Allow, Action: 's3:*', Resource: '*' }] }, !Ref AWS::NoValue]
        - arn:aws:iam::000000000000:policy/Custom
`);
    const role = roleOf('Fn')!;
    expect(role.managedPolicyArns).toEqual([
      managed('service-role/AWSLambdaBasicExecutionRole'),
      managed('service-role/AWSLambdaSQSQueueExecutionRole'),
      'arn:aws:iam::000000000000:policy/Custom',
    ]);
    expect(role.inlinePolicies.map((policy) => policy.name)).toEqual(['FnRolePolicy1']);
    expect(policiesOf(role).unknown).toEqual(['arn:aws:iam::000000000000:policy/Custom']);
  });

  it('adds the poller policy per event type and the on-failure destination policy SAM generates', () => {
    const { roleOf } = roles(`
Resources:
  Topic:
    Type: AWS::SNS::Topic
  Table:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      DeadLetterQueue:
        Type: SNS
        TargetArn: !Ref Topic
      Events:
        Stream:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Table.StreamArn
            StartingPosition: LATEST
            DestinationConfig:
              OnFailure:
                Type: SNS
                Destination: !Ref Topic
`);
    const role = roleOf('Fn')!;
    const topic = `arn:aws:sns:us-east-1:${DEFAULT_PSEUDO.accountId}:Topic`;
    expect(role.managedPolicyArns).toContain(managed('service-role/AWSLambdaDynamoDBExecutionRole'));
    expect(role.inlinePolicies).toEqual([
      { name: 'DeadLetterQueuePolicy', document: { Version: '2012-10-17', Statement: [{ Action: 'sns:Publish', Resource: topic, Effect: 'Allow' }] } },
      { name: 'FnStreamSNSPolicy', document: { Statement: [{ Action: 'sns:publish', Effect: 'Allow', Resource: topic }] } },
    ]);
  });

  it('gives a state machine its Policies and the X-Ray policy when tracing, without basic execution', () => {
    const { roleOf } = roles(`
Resources:
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Tracing:
        Enabled: true
      Policies:
        - Statement:
            - Effect: Allow
              Action: lambda:InvokeFunction
              Resource: '*'
`);
    const role = roleOf('Machine')!;
    expect(role.assumedBy).toEqual(['states.amazonaws.com']);
    expect(role.managedPolicyArns).toEqual([managed('AWSXrayWriteOnlyAccess')]);
    expect(role.inlinePolicies.map((policy) => policy.name)).toEqual(['MachineRolePolicy0']);
  });

  it('uses an AWS::IAM::Role of the template named by Role, with the AWS::IAM::Policy attached to it', () => {
    const { roleOf, roles: all } = roles(`
Resources:
  Shared:
    Type: AWS::IAM::Role
    Properties:
      RoleName: shared-role
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref Shared]
      PolicyDocument:
        Statement: [{ Effect: Allow, Action: 'sqs:SendMessage', Resource: '*' }]
  A:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Shared.Arn
  B:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Shared.Arn
`);
    expect(all).toHaveLength(1);
    const role = roleOf('A')!;
    expect(roleOf('B')).toBe(role);
    expect(role).toMatchObject({ name: 'shared-role', arn: `arn:aws:iam::${DEFAULT_PSEUDO.accountId}:role/shared-role`, assumedBy: ['lambda.amazonaws.com'] });
    expect(role.usedBy.map((user) => user.logicalId)).toEqual(['A', 'B']);
    expect(role.inlinePolicies.map((policy) => policy.name)).toEqual(['extra']);
  });

  it('marks a role from outside the template as external', () => {
    const { roleOf } = roles(`
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/elsewhere
`);
    expect(roleOf('Fn')).toMatchObject({ external: true, name: 'elsewhere' });
  });

  it('refuses a SAM policy template rather than guess its statements', () => {
    expect(() =>
      roles(`
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - DynamoDBCrudPolicy:
            TableName: t
`),
    ).toThrow(new TemplateError(
      'Fn: Policies[0] uses the SAM policy template DynamoDBCrudPolicy, which the local cloud does not expand: write its statements out, or add the template to local/src/iam/from-template.ts',
    ));
  });
});
