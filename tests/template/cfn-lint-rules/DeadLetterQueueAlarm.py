"""House rule E9009: every dead-letter queue has an alarm that tells someone.

A DLQ is where the failures that retries could not fix end up (E9003). Without an alarm on
it, nobody learns that a message is waiting for a redrive until it expires. Which queues are
dead-letter queues is read as E9003 reads it (`_references.dead_letter_queues`). The alarm
watches the queue's `ApproximateNumberOfMessagesVisible` (dimension `QueueName` referring to
the queue) and has `AlarmActions`.
"""

import os
import sys

from cfnlint.rules import CloudFormationLintRule, RuleMatch

# cfn-lint loads rule files by path, not as a package: make the shared helpers importable.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _references import dead_letter_queues, logical_id  # noqa: E402


def _watched_queues(alarm_properties):
    """The queues an alarm watches through ApproximateNumberOfMessagesVisible (plain or metric-math form)."""
    metrics = [alarm_properties] + [
        ((query or {}).get("MetricStat") or {}).get("Metric") or {} for query in alarm_properties.get("Metrics") or []
    ]
    found = set()
    for metric in metrics:
        if metric.get("Namespace") != "AWS/SQS" or metric.get("MetricName") != "ApproximateNumberOfMessagesVisible":
            continue
        for dimension in metric.get("Dimensions") or []:
            if isinstance(dimension, dict) and dimension.get("Name") == "QueueName":
                queue = logical_id(dimension.get("Value"))
                if queue:
                    found.add(queue)
    return found


class DeadLetterQueueAlarm(CloudFormationLintRule):
    id = "E9009"
    shortdesc = "Every dead-letter queue has an alarm with actions"
    description = (
        "Every AWS::SQS::Queue that something uses as its dead-letter or on-failure target is "
        "watched by an AWS::CloudWatch::Alarm on AWS/SQS ApproximateNumberOfMessagesVisible "
        "(dimension QueueName) that sets AlarmActions."
    )
    source_url = "https://github.com/aws-samples/aws-serverless-ecommerce-platform"
    tags = ["resources", "sqs", "dlq", "cloudwatch", "house-rules"]

    def match(self, cfn):
        alarmed, silent = set(), set()
        for alarm in cfn.get_resources(["AWS::CloudWatch::Alarm"]).values():
            properties = alarm.get("Properties") or {}
            (alarmed if properties.get("AlarmActions") else silent).update(_watched_queues(properties))
        matches = []
        for name in sorted(dead_letter_queues(cfn) - alarmed):
            reason = "has an alarm without AlarmActions" if name in silent else "has no alarm"
            matches.append(
                RuleMatch(
                    ["Resources", name],
                    f"Dead-letter queue {name} {reason}: add an AWS::CloudWatch::Alarm on AWS/SQS "
                    f"ApproximateNumberOfMessagesVisible (QueueName: !GetAtt {name}.QueueName) with AlarmActions",
                )
            )
        return matches
