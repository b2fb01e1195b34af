#!/usr/bin/env bash
# Applies a workshop solution to the repository you run it in (its root):
#   bash workshop/solutions/apply.sh 05-loyalty            add the finished feature
#   bash workshop/solutions/apply.sh --revert 05-loyalty   take it out again
# A solution is two parts: files/ (new files, copied to the same paths) and changes.patch (the
# edits to existing files: template.yaml, docs, test tables). The patch is checked before
# anything is written, so a repository it does not fit is left as it was.
set -euo pipefail

revert=false
if [[ "${1:-}" == "--revert" ]]; then
  revert=true
  shift
fi
name="${1:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
solution="$here/$name"
if [[ -z "$name" || ! -f "$solution/changes.patch" || ! -d "$solution/files" ]]; then
  echo "Usage: bash workshop/solutions/apply.sh [--revert] <solution>; solutions: $(find "$here" -mindepth 1 -maxdepth 1 -type d -printf "%f ")" >&2
  exit 2
fi
[[ -f template.yaml ]] || { echo "Run this from the repository's root (where template.yaml is)." >&2; exit 2; }

mapfile -t files < <(cd "$solution/files" && find . -type f | sed 's|^\./||' | sort)

if $revert; then
  git apply --check --reverse "$solution/changes.patch"
  git apply --reverse "$solution/changes.patch"
  for file in "${files[@]}"; do
    rm -f "$file"
    rmdir -p --ignore-fail-on-non-empty "$(dirname "$file")"
  done
  echo "Reverted $name: ${#files[@]} files removed, changes.patch taken back."
else
  git apply --check "$solution/changes.patch"
  for file in "${files[@]}"; do
    mkdir -p "$(dirname "$file")"
    cp "$solution/files/$file" "$file"
  done
  git apply "$solution/changes.patch"
  echo "Applied $name: ${#files[@]} new files, changes.patch on $(grep -c '^diff --git' "$solution/changes.patch") existing ones."
fi
