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
      "E9002 Wildcard resource '*': name the table, index or ARN",
      'E9001 Functions SharingFunctionA and SharingFunctionB share log group SharedLogGroup',
      'E9001 Log group SharedLogGroup (of SharingFunctionA) must set RetentionInDays',
      "E9002 Wildcard action 'dynamodb:*': list the actions needed",
      "E9003 Queue NoRedriveQueue is no one's dead-letter queue, so it needs a RedrivePolicy with deadLetterTargetArn and maxReceiveCount",
      'E9006 Queue NoRedriveQueue has VisibilityTimeout 30 s; its consumer QueueConsumerFunction needs at least 62 s (6 x Timeout 10 s + batching window 2 s)',
      'E9006 Queue NoRedriveQueue has VisibilityTimeout 30 s; its consumer QueueConsumerFunction needs at least 60 s (6 x Timeout 10 s + batching window 0 s)',
      'E9004 Event source QueueConsumerFunction.Queue (queue) must set FunctionResponseTypes: [ReportBatchItemFailures]',
      'E9004 Event source PlainQueueMapping (queue) must set FunctionResponseTypes: [ReportBatchItemFailures]',
      'E9005 Stream event source StreamConsumerFunction.Stream must send what it gives up on to DestinationConfig.OnFailure.Destination',
      'E9005 Stream event source StreamConsumerFunction.Stream must bound MaximumRetryAttempts (the default, -1, retries until the record expires)',
    ]);
  });
});

describe('sam validate --lint', () => {
  it('accepts template.yaml', () => {
    const result = run(venvTool('sam'), ['validate', '--lint', '--template-file', 'template.yaml']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/is a valid SAM Template/);
  });
});
