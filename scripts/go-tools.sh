#!/usr/bin/env bash
# Makes sure the project's Go tools are built into .tools/bin at the pinned versions; a no-op
# when they already are. Today one: actionlint, which checks the GitHub Actions workflows in
# .github/workflows (tests/template/pipeline.test.ts). Runs before `npm test` (the pretest
# script) and so from .ci/run. Needs Go >= 1.22 on PATH or in /usr/local/go/bin; the module
# comes from the Go module proxy and is cached in Go's module cache, the binary in .tools/bin.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ACTIONLINT_VERSION=1.7.12
BIN="$PWD/.tools/bin"

if [[ -x "$BIN/actionlint" ]] && [[ "$("$BIN/actionlint" -version 2>/dev/null | head -n 1)" == "$ACTIONLINT_VERSION" ]]; then
  exit 0
fi

GO=$(command -v go || true)
if [[ -z "$GO" && -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; fi
if [[ -z "$GO" ]]; then
  echo "scripts/go-tools.sh: Go is needed to build actionlint $ACTIONLINT_VERSION (https://go.dev/doc/install)" >&2
  exit 1
fi

echo "Building actionlint $ACTIONLINT_VERSION into .tools/bin (first run only)..."
mkdir -p "$BIN"
# -trimpath and the version in ldflags: `actionlint -version` then names the pinned release.
GOBIN="$BIN" "$GO" install -trimpath \
  -ldflags "-s -w -X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" \
  "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION" </dev/null
