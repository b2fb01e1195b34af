"""House rules for functions fed by queues and streams (E9004, E9005, E9006).

They read every event source mapping in the template: a SAM function's `SQS`, `DynamoDB` or
`Kinesis` event, or an `AWS::Lambda::EventSourceMapping`. (cfn-lint hands custom rules the
template as written, before the SAM transform, so both forms are read; SAM's Globals apply.)

- E9004: every queue and stream mapping reports partial batch failures. Without
  `FunctionResponseTypes: [ReportBatchItemFailures]`, one bad message fails its whole batch:
  from a queue, the messages that succeeded come back and are processed again; from a stream,
  the shard retries the whole batch and stops behind it. Our batch handlers (Powertools
  BatchProcessor) return the failed items, which Lambda only reads when the mapping asks.
- E9005: a stream mapping bounds its retries (MaximumRetryAttempts other than -1) and sends
  what it gives up on to `DestinationConfig.OnFailure.Destination`. With the defaults, one bad
  record stops its shard until the record expires (24 hours for DynamoDB) and is then lost
  without a trace.
- E9006: a queue's VisibilityTimeout is at least 6 x its consumer's Timeout plus the
  mapping's MaximumBatchingWindowInSeconds (Lambda's guidance). Shorter, and a message still
  being processed, or waiting in a throttled and retried invocation, becomes visible again:
  it is processed twice, or reaches the DLQ after failures that never happened.
  Defaults: Timeout 3 s, VisibilityTimeout 30 s, batching window 0 s.
"""

import os
import sys

from cfnlint.rules import CloudFormationLintRule, RuleMatch

# cfn-lint loads rule files by path, not as a package: make the shared helpers importable.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _references import logical_id as _logical_id  # noqa: E402

SAM_SOURCES = {"SQS": "Queue", "DynamoDB": "Stream", "Kinesis": "Stream"}
SOURCE_KINDS = {"AWS::SQS::Queue": "queue", "AWS::DynamoDB::Table": "stream", "AWS::Kinesis::Stream": "stream"}
FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")


def _kind(resources, source):
    """'queue', 'stream' or None (another kind of source, or one these rules cannot tell)."""
    if isinstance(source, str):
        for service, kind in ((":sqs:", "queue"), (":dynamodb:", "stream"), (":kinesis:", "stream")):
            if service in source:
                return kind
        return None
    return SOURCE_KINDS.get((resources.get(_logical_id(source) or "") or {}).get("Type"))


def _seconds(value):
    """An integer setting, or None when it is an intrinsic function."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class Mapping:
    """One event source mapping, whichever way it is written."""

    def __init__(self, name, path, properties, source, function_id, kind):
        self.name = name
        self.path = path
        self.properties = properties
        self.source = source
        self.function_id = function_id
        self.kind = kind


def mappings(cfn):
    """Every queue or stream event source mapping in the template."""
    resources = cfn.get_resources()
    for name, resource in resources.items():
        properties = resource.get("Properties") or {}
        if resource.get("Type") == "AWS::Lambda::EventSourceMapping":
            source = properties.get("EventSourceArn")
            kind = _kind(resources, source)
            if kind:
                yield Mapping(name, ["Resources", name, "Properties"], properties, source, _logical_id(properties.get("FunctionName")), kind)
        elif resource.get("Type") == "AWS::Serverless::Function":
            events = properties.get("Events") or {}
            for event_name, event in events.items() if isinstance(events, dict) else []:
                source_key = SAM_SOURCES.get((event or {}).get("Type"))
                if not source_key:
                    continue
                event_properties = event.get("Properties") or {}
                source = event_properties.get(source_key)
                kind = _kind(resources, source) or ("queue" if source_key == "Queue" else "stream")
                path = ["Resources", name, "Properties", "Events", event_name, "Properties"]
                yield Mapping(f"{name}.{event_name}", path, event_properties, source, name, kind)


def function_timeout(cfn, function_id):
    """A function's Timeout in seconds (SAM Globals and Lambda's default applied), or None."""
    function = cfn.get_resources().get(function_id or "")
    if not function or function.get("Type") not in FUNCTION_TYPES:
        return None
    properties = function.get("Properties") or {}
    if "Timeout" in properties:
        return _seconds(properties["Timeout"])
    if function.get("Type") == "AWS::Serverless::Function":
        globals_timeout = ((cfn.template.get("Globals") or {}).get("Function") or {}).get("Timeout")
        if globals_timeout is not None:
            return _seconds(globals_timeout)
    return 3


class BatchItemFailures(CloudFormationLintRule):
    id = "E9004"
    shortdesc = "Queue and stream event source mappings report batch item failures"
    description = "Every SQS, DynamoDB Streams or Kinesis event source sets FunctionResponseTypes: [ReportBatchItemFailures]."
    source_url = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting"
    tags = ["resources", "lambda", "sqs", "streams", "house-rules"]

    def match(self, cfn):
        return [
            RuleMatch(mapping.path, f"Event source {mapping.name} ({mapping.kind}) must set FunctionResponseTypes: [ReportBatchItemFailures]")
            for mapping in mappings(cfn)
            if "ReportBatchItemFailures" not in (mapping.properties.get("FunctionResponseTypes") or [])
        ]


class StreamOnFailure(CloudFormationLintRule):
    id = "E9005"
    shortdesc = "Stream event sources bound their retries and have an on-failure destination"
    description = "Every DynamoDB Streams or Kinesis event source sets MaximumRetryAttempts (not -1) and DestinationConfig.OnFailure.Destination."
    source_url = "https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html"
    tags = ["resources", "lambda", "streams", "dlq", "house-rules"]

    def match(self, cfn):
        matches = []
        for mapping in mappings(cfn):
            if mapping.kind != "stream":
                continue
            destination = ((mapping.properties.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
            if destination is None:
                matches.append(RuleMatch(mapping.path, f"Stream event source {mapping.name} must send what it gives up on to DestinationConfig.OnFailure.Destination"))
            retries = mapping.properties.get("MaximumRetryAttempts")
            if retries is None or str(retries) == "-1":
                matches.append(RuleMatch(mapping.path, f"Stream event source {mapping.name} must bound MaximumRetryAttempts (the default, -1, retries until the record expires)"))
        return matches


class QueueVisibilityTimeout(CloudFormationLintRule):
    id = "E9006"
    shortdesc = "A queue's VisibilityTimeout is at least 6 x its consumer's Timeout plus the batching window"
    description = "For every SQS event source: the queue's VisibilityTimeout >= 6 * the function's Timeout + MaximumBatchingWindowInSeconds."
    source_url = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-queueconfig"
    tags = ["resources", "lambda", "sqs", "house-rules"]

    def match(self, cfn):
        matches = []
        resources = cfn.get_resources()
        for mapping in mappings(cfn):
            queue_id = _logical_id(mapping.source)
            queue = resources.get(queue_id or "") or {}
            if mapping.kind != "queue" or queue.get("Type") != "AWS::SQS::Queue":
                continue
            visibility = _seconds((queue.get("Properties") or {}).get("VisibilityTimeout", 30))
            timeout = function_timeout(cfn, mapping.function_id)
            window = _seconds(mapping.properties.get("MaximumBatchingWindowInSeconds", 0))
            if None in (visibility, timeout, window):
                continue
            needed = 6 * timeout + window
            if visibility < needed:
                matches.append(
                    RuleMatch(
                        ["Resources", queue_id],
                        f"Queue {queue_id} has VisibilityTimeout {visibility} s; its consumer {mapping.function_id} needs at least {needed} s (6 x Timeout {timeout} s + batching window {window} s)",
                    )
                )
        return matches
