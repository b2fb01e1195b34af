"""House rule E9001: every function writes to its own, explicitly declared log group.

An explicit AWS::Logs::LogGroup (with retention) wired through LoggingConfig.LogGroup means
logs never land in an implicit group that lives forever and outlives the stack. The log group
must not refer back to its function (`/aws/lambda/${Function}`): that is a circular dependency.
"""

from cfnlint.rules import CloudFormationLintRule, RuleMatch

FUNCTION_TYPES = ["AWS::Serverless::Function", "AWS::Lambda::Function"]


class FunctionLogGroup(CloudFormationLintRule):
    id = "E9001"
    shortdesc = "Every function has its own explicit log group"
    description = (
        "Each Lambda function sets LoggingConfig.LogGroup to a Ref of an AWS::Logs::LogGroup "
        "in this template that sets RetentionInDays, and no two functions share a log group."
    )
    source_url = "https://github.com/aws-samples/aws-serverless-ecommerce-platform"
    tags = ["resources", "lambda", "logs", "house-rules"]

    def match(self, cfn):
        matches = []
        log_groups = cfn.get_resources(["AWS::Logs::LogGroup"])
        owners = {}
        for name, function in cfn.get_resources(FUNCTION_TYPES).items():
            properties = function.get("Properties") or {}
            path = ["Resources", name, "Properties"]
            log_group = (properties.get("LoggingConfig") or {}).get("LogGroup")
            target = log_group.get("Ref") if isinstance(log_group, dict) else None
            if not isinstance(target, str):
                matches.append(
                    RuleMatch(path, f"Function {name} must set LoggingConfig.LogGroup to !Ref of its own AWS::Logs::LogGroup")
                )
                continue
            if target not in log_groups:
                matches.append(
                    RuleMatch(path + ["LoggingConfig", "LogGroup"], f"Function {name}: {target} is not an AWS::Logs::LogGroup in this template")
                )
                continue
            if target in owners:
                matches.append(
                    RuleMatch(path + ["LoggingConfig", "LogGroup"], f"Functions {owners[target]} and {name} share log group {target}")
                )
                continue
            owners[target] = name
            if "RetentionInDays" not in (log_groups[target].get("Properties") or {}):
                matches.append(RuleMatch(["Resources", target], f"Log group {target} (of {name}) must set RetentionInDays"))
        return matches
