#!/usr/bin/env bash
# Runs the cdktf CLI (`npm run synth` is `scripts/cdktf.sh synth`; use it for
# deploy and diff as well) with the project's Terraform CLI configuration,
# unless the user has one of their own (TF_CLI_CONFIG_FILE or ~/.terraformrc
# naming an existing file), and without the version-check calls to HashiCorp
# that cdktf and Terraform make (CHECKPOINT_DISABLE).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f "${TF_CLI_CONFIG_FILE:-${HOME:-}/.terraformrc}" ]; then
  export TF_CLI_CONFIG_FILE="$PWD/.terraform-cli.tfrc"
  bash scripts/terraform-cli-config.sh "$TF_CLI_CONFIG_FILE"
fi
export CHECKPOINT_DISABLE=1
exec node_modules/.bin/cdktf "$@"
