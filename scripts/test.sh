#!/usr/bin/env bash
# The whole test suite: type check, lint, then Jest (unit, synthesis, real
# PostgreSQL and real Terraform tests). Extra arguments go to Jest.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/machine-env.sh
. scripts/machine-env.sh
echo "PostgreSQL: ${PG_BIN_DIR:-the pg-server-* packages (${PG_VERSIONS:-15,16,17})} TF_PLUGIN_MIRROR=${TF_PLUGIN_MIRROR:-<not found: providers are downloaded>}"
npx tsc -p .
npx eslint .
npx jest "$@"
