#!/usr/bin/env bash
# The whole test suite: type check, lint, then Jest (unit, synthesis, real
# PostgreSQL and real Terraform tests). Extra arguments go to Jest.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/machine-env.sh
. scripts/machine-env.sh
echo "PG_BIN_DIR=${PG_BIN_DIR:-<not found>} TF_PLUGIN_MIRROR=${TF_PLUGIN_MIRROR:-<not found: providers are downloaded>}"
npx tsc -p .
npx eslint .
npx jest "$@"
