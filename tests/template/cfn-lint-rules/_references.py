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
