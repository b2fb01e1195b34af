import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run, venvTool } from './support/tools.ts';

// cfn-lint reads .cfnlintrc.yaml at the root: template.yaml, informational checks included,
// and the house rules in tests/template/cfn-lint-rules. Clean means no output at all.

describe('cfn-lint', () => {
  it('reports nothing on template.yaml: no errors, warnings or informational findings', () => {
    const result = run(venvTool('cfn-lint'), ['--format', 'parseable']);
    expect(result.stdout + result.stderr, result.output).toBe('');
    expect(result.status, result.output).toBe(0);
  });

  it('enforces the house rules (they fire on a template that breaks each one)', () => {
    const fixture = path.join(ROOT, 'tests/template/fixtures/house-rules-violations.yaml');
    const result = run(venvTool('cfn-lint'), ['--format', 'parseable', '--', fixture]);
    const found = result.stdout
      .split('\n')
      .map((line) => /:(E9\d{3}):(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => `${match[1]} ${match[2]}`);
    expect(found, result.output).toEqual([
      'E9001 Function NoLogGroupFunction must set LoggingConfig.LogGroup to !Ref of its own AWS::Logs::LogGroup',
      "E9002 Wildcard resource '*' for dynamodb:GetItem: name the table, index or ARN",
      'E9001 Functions SharingFunctionA and SharingFunctionB share log group SharedLogGroup',
      'E9001 Log group SharedLogGroup (of SharingFunctionA) must set RetentionInDays',
      "E9002 Wildcard action 'dynamodb:*': list the actions needed",
      "E9003 Queue NoRedriveQueue is no one's dead-letter queue, so it needs a RedrivePolicy with deadLetterTargetArn and maxReceiveCount",
      'E9006 Queue NoRedriveQueue has VisibilityTimeout 30 s; its consumer QueueConsumerFunction needs at least 62 s (6 x Timeout 10 s + batching window 2 s)',
      'E9006 Queue NoRedriveQueue has VisibilityTimeout 30 s; its consumer QueueConsumerFunction needs at least 60 s (6 x Timeout 10 s + batching window 0 s)',
      // The statement allowing only states:SendTaskFailure on '*' passes: it is an exception.
      "E9002 Wildcard resource '*' for dynamodb:Query: name the table, index or ARN",
      'E9004 Event source QueueConsumerFunction.Queue (queue) must set FunctionResponseTypes: [ReportBatchItemFailures]',
      'E9009 Dead-letter queue QuietDLQ has no alarm: add an AWS::CloudWatch::Alarm on AWS/SQS ApproximateNumberOfMessagesVisible (QueueName: !GetAtt QuietDLQ.QueueName) with AlarmActions',
      'E9009 Dead-letter queue MutedDLQ has an alarm without AlarmActions: add an AWS::CloudWatch::Alarm on AWS/SQS ApproximateNumberOfMessagesVisible (QueueName: !GetAtt MutedDLQ.QueueName) with AlarmActions',
      'E9004 Event source PlainQueueMapping (queue) must set FunctionResponseTypes: [ReportBatchItemFailures]',
      'E9005 Stream event source StreamConsumerFunction.Stream must send what it gives up on to DestinationConfig.OnFailure.Destination',
      'E9005 Stream event source StreamConsumerFunction.Stream must bound MaximumRetryAttempts (the default, -1, retries until the record expires)',
      'E9007 State machine UnwatchedStateMachine must log (Level ALL, ERROR or FATAL) to a log group of this template',
      'E9007 State machine UnwatchedStateMachine must enable tracing (Enabled: true)',
      'E9007 State machine UnwatchedStateMachine needs an AWS/States ExecutionsFailed alarm (StateMachineArn: !Ref UnwatchedStateMachine) with AlarmActions',
      // Read from its DefinitionUri file.
      'E9008 State machine UnwatchedStateMachine, Task Charge must Retry (at least the errors that pass)',
      "E9008 State machine UnwatchedStateMachine, Task Charge must retry Lambda's transient errors: Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException, Lambda.TooManyRequestsException",
      'E9008 State machine UnwatchedStateMachine, Task Charge must Catch States.ALL (compensate, or end in a Fail state)',
      'E9007 State machine CarelessStateMachine needs an AWS/States ExecutionsFailed alarm (StateMachineArn: !Ref CarelessStateMachine) with AlarmActions',
      "E9008 State machine CarelessStateMachine, Task Reserve must retry Lambda's transient errors: Lambda.AWSLambdaException, Lambda.SdkClientException, Lambda.TooManyRequestsException",
      'E9008 State machine CarelessStateMachine, Task Reserve must Catch States.ALL (compensate, or end in a Fail state)',
      'E9008 State machine CarelessStateMachine, Task Confirm must Retry (at least the errors that pass)',
      'E9007 State machines CarelessStateMachine and SharingStateMachine share log group PlainLogGroup',
      'E9007 Log group PlainLogGroup (of CarelessStateMachine) must set RetentionInDays',
      'E9007 Log group PlainLogGroup (of CarelessStateMachine) must be named under /aws/vendedlogs/states/',
    ]);
  });

  it("allows '*' only for actions AWS offers no resource-level permission for (E9002's exceptions)", () => {
    // Checked against the Service Authorization Reference as policy_sentry (installed with
    // checkov) records it: an action that gains a resource type must be scoped instead.
    const check = `
import json, pathlib, runpy
from policy_sentry.querying.actions import get_action_data
rule = runpy.run_path(str(pathlib.Path("tests/template/cfn-lint-rules/NoWildcardIam.py")))
out = {}
for action in sorted(rule["NO_RESOURCE_LEVEL_PERMISSIONS"]):
    service, name = action.split(":")
    rows = get_action_data(service, name).get(service) or []
    out[action] = sorted({row["resource_arn_format"] for row in rows}) if rows else None
print(json.dumps(out))
`;
    const result = run(venvTool('python'), ['-c', check]);
    expect(result.status, result.output).toBe(0);
    const resourceTypes = JSON.parse(result.stdout) as Record<string, string[] | null>;
    expect(Object.keys(resourceTypes).length).toBeGreaterThan(0);
    for (const [action, formats] of Object.entries(resourceTypes)) {
      expect(formats, `${action} is unknown to the Service Authorization Reference data`).not.toBeNull();
      expect(formats, `${action} now has resource-level permissions: scope it and drop the exception`).toEqual(['*']);
    }
  });
});

describe('sam validate --lint', () => {
  it('accepts template.yaml', () => {
    const result = run(venvTool('sam'), ['validate', '--lint', '--template-file', 'template.yaml']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/is a valid SAM Template/);
  });
});
