"""House rule E9003: every queue that is not itself a dead-letter queue has one.

A message that keeps failing must end somewhere someone looks (a DLQ with an alarm) after a
bounded number of receives, instead of being retried until it silently expires. A queue counts
as a dead-letter queue when something in the template sends its failures there: another queue's
or an SNS subscription's RedrivePolicy (`deadLetterTargetArn`), an event source mapping's or
event invoke config's `OnFailure` destination, or a function's `DeadLetterConfig`.
"""

import os
import sys

from cfnlint.rules import CloudFormationLintRule, RuleMatch

# cfn-lint loads rule files by path, not as a package: make the shared helpers importable.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _references import dead_letter_queues  # noqa: E402


class QueueRedrive(CloudFormationLintRule):
    id = "E9003"
    shortdesc = "Every queue that is not a dead-letter queue has a RedrivePolicy"
    description = (
        "An AWS::SQS::Queue that no queue, subscription, function or event source mapping uses "
        "as its dead-letter or on-failure target sets RedrivePolicy with deadLetterTargetArn "
        "and maxReceiveCount."
    )
    source_url = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html"
    tags = ["resources", "sqs", "dlq", "house-rules"]

    def match(self, cfn):
        matches = []
        dlqs = dead_letter_queues(cfn)
        for name, queue in cfn.get_resources(["AWS::SQS::Queue"]).items():
            if name in dlqs:
                continue
            policy = (queue.get("Properties") or {}).get("RedrivePolicy")
            if not isinstance(policy, dict) or "deadLetterTargetArn" not in policy or "maxReceiveCount" not in policy:
                matches.append(
                    RuleMatch(
                        ["Resources", name, "Properties"],
                        f"Queue {name} is no one's dead-letter queue, so it needs a RedrivePolicy with deadLetterTargetArn and maxReceiveCount",
                    )
                )
        return matches
