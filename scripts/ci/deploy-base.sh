#!/usr/bin/env bash
# Prints the commit a push to main is reviewed against, to deploy only what changed since it:
# the commit before the push ($1, github.event.before), or the push's parent when that one is
# not known here (a new branch, a force push). Exits 1 when there is none (the first commit:
# deploy it by hand).
set -euo pipefail
before=${1:-}
if [ -n "$before" ] && [ "$before" != 0000000000000000000000000000000000000000 ] && git cat-file -e "$before^{commit}" 2>/dev/null; then
  echo "$before"
elif git rev-parse --verify --quiet HEAD~1 >/dev/null; then
  git rev-parse HEAD~1
else
  echo "no commit before $(git rev-parse --short HEAD) to compare with: deploy the first commit by hand (bash scripts/cdktf.sh deploy <stacks>)" >&2
  exit 1
fi
