"""Helpers shared by the house rules. The leading underscore keeps cfn-lint from loading this
file as a rule module (it loads files matching [A-Za-z1-9]*.py)."""


def logical_id(value):
    """The resource a Ref or Fn::GetAtt points at, or None."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    if isinstance(value.get("Ref"), str):
        return value["Ref"]
    attribute = value.get("Fn::GetAtt")
    if isinstance(attribute, list) and attribute and isinstance(attribute[0], str):
        return attribute[0]
    if isinstance(attribute, str):
        return attribute.split(".", 1)[0]
    return None


# Where a resource names the queue its failures go to: a queue's or an SNS subscription's
# RedrivePolicy, an event source mapping's or event invoke config's OnFailure destination, a
# function's DeadLetterConfig, a SAM event's DeadLetterQueue.
DEAD_LETTER_KEYS = ("deadLetterTargetArn", "OnFailure", "DeadLetterConfig", "DeadLetterQueue")


def references(value):
    """Every resource referenced anywhere inside value."""
    found = set()
    target = logical_id(value)
    if target:
        found.add(target)
    if isinstance(value, dict):
        for item in value.values():
            found |= references(item)
    elif isinstance(value, list):
        for item in value:
            found |= references(item)
    return found


def dead_letter_targets(value):
    """Resources referenced under a dead-letter or on-failure key anywhere inside value."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found |= references(item) if key in DEAD_LETTER_KEYS else dead_letter_targets(item)
    elif isinstance(value, list):
        for item in value:
            found |= dead_letter_targets(item)
    return found


def dead_letter_queues(cfn):
    """The queues of the template that something sends its failures to."""
    found = set()
    for resource in cfn.get_resources().values():
        found |= dead_letter_targets(resource.get("Properties") or {})
    return found & set(cfn.get_resources(["AWS::SQS::Queue"]))
