"""Prints template.yaml as JSON, parsed the way SAM parses it, for the template tests.

    python sam_template.py parse TEMPLATE       # the SAM template, short-form tags expanded
    python sam_template.py transform TEMPLATE   # the CloudFormation the SAM transform produces
    python sam_template.py transform TEMPLATE param:DeploymentType=Canary10Percent5Minutes \
        artifact:SharedLayer=s3://bucket/other.zip   # with parameter values, or another packaged artifact

`transform` runs the real SAM translator offline: local CodeUri/ContentUri/DefinitionUri paths
become placeholder S3 URIs (what `sam package` would put there) and no IAM call is made, so checkov
can also see the IAM roles, permissions and API Gateway resources SAM generates.
"""

import json
import logging
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

PACKAGED_URIS = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Serverless::StateMachine": "DefinitionUri",
}


class OfflinePolicyLoader:
    """SAM asks this for managed policy ARNs by name; the template names none."""

    def load(self):
        return {}


def main():
    mode, path = sys.argv[1], sys.argv[2]
    # What CloudFormation hands the transform (parameter values), and what `sam package` would
    # have put in an artifact's URI (its content's hash): a different URI is a changed artifact.
    parameters, artifacts = {}, {}
    for option in sys.argv[3:]:
        kind, _, assignment = option.partition(":")
        name, _, value = assignment.partition("=")
        if kind == "param":
            parameters[name] = value
        elif kind == "artifact":
            artifacts[name] = value
        else:
            raise SystemExit(f"unknown option {option!r}: use param:Name=Value or artifact:LogicalId=URI")
    with open(path, encoding="utf-8") as handle:
        template = yaml_parse(handle.read())
    if mode == "transform":
        # The translator logs a harmless warning per feature toggle it cannot look up offline.
        logging.disable(logging.WARNING)
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        for logical_id, resource in template.get("Resources", {}).items():
            key = PACKAGED_URIS.get(resource.get("Type"))
            if key:
                extension = "asl.json" if key == "DefinitionUri" else "zip"
                resource.setdefault("Properties", {})[key] = artifacts.get(logical_id, f"s3://packaged-artifacts/{logical_id}.{extension}")
        template = transform(template, parameters, OfflinePolicyLoader())
    elif mode != "parse":
        raise SystemExit(f"unknown mode {mode!r}: use parse or transform")
    json.dump(template, sys.stdout, indent=1, sort_keys=True, default=str)


if __name__ == "__main__":
    main()
