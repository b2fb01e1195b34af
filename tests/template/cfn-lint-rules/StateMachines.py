"""House rules for state machines (E9007, E9008).

They read every `AWS::Serverless::StateMachine` and `AWS::StepFunctions::StateMachine` as written
(cfn-lint gives custom rules the template before the SAM transform). The definition is read from
`Definition`, `DefinitionString` (JSON text) or a local `DefinitionUri` / `DefinitionS3Location`
path relative to the template; an S3 location or an intrinsic function cannot be read and is
skipped.

- E9007: a state machine is observable and its failures are heard. It logs (Level other than
  OFF) to a log group of this template that sets RetentionInDays and is named under
  `/aws/vendedlogs/states/` (AWS's convention for vended logs: CloudWatch Logs then covers every
  such group with one resource policy, which is limited in size), not shared with another state
  machine; tracing is on; and an AWS::CloudWatch::Alarm on `AWS/States` `ExecutionsFailed` for it
  has an AlarmActions target. A Standard workflow's failed execution is otherwise only visible
  in the console.
- E9008: every Task state retries (Retry), and every Task state that invokes Lambda catches
  `States.ALL` and retries Lambda's transient service errors (`Lambda.ServiceException`,
  `Lambda.AWSLambdaException`, `Lambda.SdkClientException`, `Lambda.TooManyRequestsException`,
  or `States.ALL`). Lambda code can fail in any way: the saga must then compensate or, when the
  failing step is itself a compensation, end in a Fail state (which E9007's alarm reports).
  Direct service integrations (DynamoDB) fail with known errors and may leave the rest to fail
  the execution.
"""

import json
import os
import sys

from cfnlint.rules import CloudFormationLintRule, RuleMatch

# cfn-lint loads rule files by path, not as a package: make the shared helpers importable.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _references import logical_id as _logical_id  # noqa: E402

STATE_MACHINE_TYPES = ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine")
VENDED_LOGS_PREFIX = "/aws/vendedlogs/states/"
LAMBDA_TRANSIENT_ERRORS = (
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
)


def _settings(resource):
    """(logging, tracing) of a state machine, whichever way it is written."""
    properties = resource.get("Properties") or {}
    if resource.get("Type") == "AWS::Serverless::StateMachine":
        return properties.get("Logging"), properties.get("Tracing")
    return properties.get("LoggingConfiguration"), properties.get("TracingConfiguration")


def _literal_name(value):
    """A log group name as written: a string, or the template string of a Fn::Sub."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        return sub if isinstance(sub, str) else (sub[0] if isinstance(sub, list) and sub and isinstance(sub[0], str) else None)
    return None


def definition_of(cfn, resource):
    """The state machine's definition as a dict, or None when it cannot be read here."""
    properties = resource.get("Properties") or {}
    definition = properties.get("Definition")
    if isinstance(definition, dict):
        return definition
    text = properties.get("DefinitionString")
    if isinstance(text, str):
        try:
            return json.loads(text)
        except ValueError:
            return None
    location = properties.get("DefinitionUri", properties.get("DefinitionS3Location"))
    if isinstance(location, str) and not location.startswith("s3://"):
        base = os.path.dirname(os.path.abspath(cfn.filename or "."))
        try:
            with open(os.path.join(base, location), encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return None
    return None


def task_states(machine, prefix=()):
    """(path of state names, state) for every Task state, Parallel branches and Map processors included."""
    states = machine.get("States") if isinstance(machine, dict) else None
    for name, state in (states or {}).items():
        if not isinstance(state, dict):
            continue
        path = prefix + (name,)
        if state.get("Type") == "Task":
            yield path, state
        for branch in state.get("Branches") or []:
            yield from task_states(branch, path)
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(key), dict):
                yield from task_states(state[key], path)


class StateMachineObservability(CloudFormationLintRule):
    id = "E9007"
    shortdesc = "State machines log to their own vended-logs group, are traced, and alarm on failed executions"
    description = (
        "Every state machine logs to a log group of this template (RetentionInDays, named under "
        "/aws/vendedlogs/states/, its own), enables tracing, and has an ExecutionsFailed alarm with an action."
    )
    source_url = "https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html"
    tags = ["resources", "stepfunctions", "logs", "alarms", "house-rules"]

    def match(self, cfn):
        matches = []
        log_groups = cfn.get_resources(["AWS::Logs::LogGroup"])
        alarms = cfn.get_resources(["AWS::CloudWatch::Alarm"]).values()
        owners = {}
        for name, resource in cfn.get_resources(list(STATE_MACHINE_TYPES)).items():
            path = ["Resources", name, "Properties"]
            logging, tracing = _settings(resource)
            logging = logging if isinstance(logging, dict) else {}
            destinations = logging.get("Destinations") or []
            targets = [
                _logical_id(((destination or {}).get("CloudWatchLogsLogGroup") or {}).get("LogGroupArn"))
                for destination in destinations
                if isinstance(destination, dict)
            ]
            if logging.get("Level") in (None, "OFF") or not targets:
                matches.append(RuleMatch(path, f"State machine {name} must log (Level ALL, ERROR or FATAL) to a log group of this template"))
            for target in targets:
                if target not in log_groups:
                    matches.append(RuleMatch(path, f"State machine {name}: its log destination must be !GetAtt <LogGroup>.Arn of an AWS::Logs::LogGroup here"))
                    continue
                if target in owners:
                    matches.append(RuleMatch(path, f"State machines {owners[target]} and {name} share log group {target}"))
                    continue
                owners[target] = name
                group = log_groups[target].get("Properties") or {}
                if "RetentionInDays" not in group:
                    matches.append(RuleMatch(["Resources", target], f"Log group {target} (of {name}) must set RetentionInDays"))
                group_name = _literal_name(group.get("LogGroupName"))
                if not (group_name or "").startswith(VENDED_LOGS_PREFIX):
                    matches.append(RuleMatch(["Resources", target], f"Log group {target} (of {name}) must be named under {VENDED_LOGS_PREFIX}"))
            if not (isinstance(tracing, dict) and tracing.get("Enabled") is True):
                matches.append(RuleMatch(path, f"State machine {name} must enable tracing (Enabled: true)"))
            watched = [
                alarm
                for alarm in alarms
                if (alarm.get("Properties") or {}).get("Namespace") == "AWS/States"
                and (alarm.get("Properties") or {}).get("MetricName") == "ExecutionsFailed"
                and any(
                    isinstance(dimension, dict) and dimension.get("Name") == "StateMachineArn" and _logical_id(dimension.get("Value")) == name
                    for dimension in (alarm.get("Properties") or {}).get("Dimensions") or []
                )
                and (alarm.get("Properties") or {}).get("AlarmActions")
            ]
            if not watched:
                matches.append(RuleMatch(path, f"State machine {name} needs an AWS/States ExecutionsFailed alarm (StateMachineArn: !Ref {name}) with AlarmActions"))
        return matches


class TaskErrorHandling(CloudFormationLintRule):
    id = "E9008"
    shortdesc = "Task states retry; Lambda tasks retry Lambda's transient errors and catch States.ALL"
    description = (
        "Every Task state has a Retry; every Task state invoking Lambda retries Lambda's service "
        "exceptions and has a Catch for States.ALL (to a compensation, or to a Fail state)."
    )
    source_url = "https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#bp-lambda-serviceexception"
    tags = ["resources", "stepfunctions", "error-handling", "house-rules"]

    def match(self, cfn):
        matches = []
        for name, resource in cfn.get_resources(list(STATE_MACHINE_TYPES)).items():
            definition = definition_of(cfn, resource)
            if definition is None:
                continue
            path = ["Resources", name, "Properties"]
            for state_path, state in task_states(definition):
                label = f"State machine {name}, Task {'/'.join(state_path)}"
                retried = [error for retrier in state.get("Retry") or [] for error in (retrier or {}).get("ErrorEquals") or []]
                caught = [error for catcher in state.get("Catch") or [] for error in (catcher or {}).get("ErrorEquals") or []]
                if not retried:
                    matches.append(RuleMatch(path, f"{label} must Retry (at least the errors that pass)"))
                if not str(state.get("Resource", "")).startswith("arn:aws:states:::lambda:invoke"):
                    continue
                missing = [error for error in LAMBDA_TRANSIENT_ERRORS if error not in retried and "States.ALL" not in retried]
                if missing:
                    matches.append(RuleMatch(path, f"{label} must retry Lambda's transient errors: {', '.join(missing)}"))
                if "States.ALL" not in caught:
                    matches.append(RuleMatch(path, f"{label} must Catch States.ALL (compensate, or end in a Fail state)"))
        return matches
