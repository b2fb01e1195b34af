"""House rule E9002: IAM statements written in this template name what they allow.

No `*` (or `service:*`) actions and no `*` resources, in function Policies statements, inline
role policies and AWS::IAM::Policy documents. AWS managed policies (by ARN) and the roles SAM
generates from them are out of scope: they are reviewed as a whole, not statement by statement.
"""

from cfnlint.rules import CloudFormationLintRule, RuleMatch


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _statements(document):
    if not isinstance(document, dict):
        return []
    return [s for s in _as_list(document.get("Statement", [])) if isinstance(s, dict)]


class NoWildcardIam(CloudFormationLintRule):
    id = "E9002"
    shortdesc = "IAM statements have no wildcard actions or resources"
    description = "Allow statements list specific actions and resource ARNs: no '*', no 'service:*'."
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
                for action in _as_list(statement.get("Action", [])):
                    if isinstance(action, str) and (action == "*" or action.endswith(":*")):
                        matches.append(RuleMatch(where + ["Action"], f"Wildcard action {action!r}: list the actions needed"))
                if "NotAction" in statement or "NotResource" in statement:
                    matches.append(RuleMatch(where, "NotAction/NotResource allow more than they name: list what is allowed"))
                for resource in _as_list(statement.get("Resource", [])):
                    if resource == "*":
                        matches.append(RuleMatch(where + ["Resource"], "Wildcard resource '*': name the table, index or ARN"))
        return matches
